"""P1's peer: Microsoft's msgraph-sdk for Python enumerating every user, as its documentation pages.

Run by `cargo xtask bench` in a virtual environment of its own (target/bench-peer-venv, pinned by
peer-requirements.txt). The clock of the bench starts before this interpreter does, so import time
is included, as a user pays it. It talks to the practice tenant over plain HTTP on 127.0.0.1 with a
token the tenant signed: the SDK's request adapter is given a bearer-token provider that hands over
that token (the Azure Identity credentials it usually gets would ask Microsoft's sign-in) and the
tenant's base URL instead of graph.microsoft.com; everything else (HTTP client, middleware: retry,
redirect, headers; models and paging) is the SDK's default.

Environment: BENCH_GRAPH (e.g. http://127.0.0.1:1234/v1.0), BENCH_TOKEN, BENCH_SELECT (comma-separated).
Prints `VALUE users N`, `VALUE unique N`, `VALUE pages N`, `VALUE enumerate_secs S` and
`VALUE peak_mib M` (the process's VmHWM), each on a line of its own.
"""

import asyncio
import os
import time
from urllib.parse import urlparse

from kiota_abstractions.authentication import AccessTokenProvider, AllowedHostsValidator
from kiota_abstractions.authentication.base_bearer_token_authentication_provider import (
    BaseBearerTokenAuthenticationProvider,
)
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.users.users_request_builder import UsersRequestBuilder


class TenantToken(AccessTokenProvider):
    """Hands over the token the practice tenant signed, for its host only."""

    def __init__(self, token: str, host: str):
        self._token = token
        self._hosts = AllowedHostsValidator([host])

    async def get_authorization_token(self, uri, additional_authentication_context=None) -> str:
        return self._token if self._hosts.is_url_host_valid(uri) else ""

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self._hosts


def peak_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def enumerate_users(graph_base: str, token: str, select: list) -> tuple:
    host = urlparse(graph_base).hostname or ""
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(TenantToken(token, host)))
    adapter.base_url = graph_base
    client = GraphServiceClient(request_adapter=adapter)
    query = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(select=select, top=999)
    page = await client.users.get(request_configuration=RequestConfiguration(query_parameters=query))
    ids, pages = set(), 0
    users = 0
    while page is not None:
        pages += 1
        for user in page.value or []:
            users += 1
            ids.add(user.id)
        if not page.odata_next_link:
            break
        page = await client.users.with_url(page.odata_next_link).get()
    return users, len(ids), pages


def main() -> None:
    graph_base = os.environ["BENCH_GRAPH"]
    token = os.environ["BENCH_TOKEN"]
    select = os.environ["BENCH_SELECT"].split(",")
    started = time.perf_counter()
    users, unique, pages = asyncio.run(enumerate_users(graph_base, token, select))
    secs = time.perf_counter() - started
    print(f"VALUE users {users}")
    print(f"VALUE unique {unique}")
    print(f"VALUE pages {pages}")
    print(f"VALUE enumerate_secs {secs:.6f}")
    print(f"VALUE peak_mib {peak_mib():.1f}")


if __name__ == "__main__":
    main()
