#!/usr/bin/env python3
"""Check many sandbox response bodies with validate_payload.py's own checks, in one process.

    python3 validate_bodies.py VALIDATE_PAYLOAD_PY SPEC.yaml MANIFEST.json [--allow-extra KEY ...]

`cargo xtask conformance` writes MANIFEST.json: a list of
{"file", "operation", "method", "path", "described", "status"} where `path` is the description's template without
`/v1.0` (or the concrete path when the description lacks it). For each body this picks the schema the
description gives for that method, path and status (ODataError for 4xx/5xx), then runs exactly what
`validate_payload.py SPEC SCHEMA FILE --strict` runs: JSON Schema (draft 7, OpenAPI `nullable`
translated by the tool) plus the tool's strict check for undeclared properties. Loading the 800 KB
description once instead of once per body keeps the run within seconds.

Prints one JSON object: {"checked": N, "problems": [{"operation": STEP, "text": "METHOD PATH STATUS (SCHEMA): problem"}, ...],
"unchecked": ["METHOD PATH STATUS: why", ...]} — `unchecked`: bodies of paths whose type the subset of
Microsoft's description does not have at all (NOT_IN_SUBSET), said, never counted as checked.
"""
import argparse
import copy
import importlib.util
import json
import sys

import jsonschema
import yaml


# Paths the app uses whose type the subset of Microsoft's description (shared/graph/openapi) lacks
# entirely: no third-party schema exists here to check their bodies against, so each is reported as
# not checked, with the reason and what covers it instead.
NOT_IN_SUBSET = {
    "/directory/administrativeUnits": "the subset has no microsoft.graph.administrativeUnit; covered by the sandbox's "
    "custom_roles_and_administrative_unit_scopes and msgraph's card_assign_role_by_id_in_an_administrative_unit",
}


def load_tool(path):
    spec = importlib.util.spec_from_file_location("validate_payload", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("spec")
    ap.add_argument("manifest")
    ap.add_argument("--allow-extra", action="append", default=[])
    a = ap.parse_args()
    vp = load_tool(a.tool)
    doc = yaml.load(open(a.spec), Loader=vp.Loader)
    schemas = doc["components"]["schemas"]
    responses = doc["components"].get("responses", {})
    converted = vp.to_jsonschema(copy.deepcopy(schemas))

    def resolve_response(r):
        while isinstance(r, dict) and "$ref" in r:
            r = responses[r["$ref"].split("/")[-1]]
        return r

    def schema_for(entry):
        """(label, schema node) or (None, reason)."""
        status = entry["status"]
        if status >= 400:
            name = "microsoft.graph.ODataErrors.ODataError"
            return name, {"$ref": f"#/components/schemas/{name}"}
        path = entry["path"]
        if not entry["described"] and (path == "/me" or path.startswith("/me/")):
            # /me is /users/{signed-in user}; the subset describes only the /users form.
            path = "/users/{user-id}" + path[3:]
            entry = dict(entry, path=path, described=path in doc["paths"])
        if not entry["described"]:
            # OData cast segments (…/memberOf/microsoft.graph.directoryRole) are not in the
            # description; their answer is a collection of the cast type.
            last = path.rstrip("/").split("/")[-1]
            name = f"{last}CollectionResponse"
            if last.startswith("microsoft.graph.") and name in schemas:
                return name, {"$ref": f"#/components/schemas/{name}"}
            return None, f"no schema for undescribed path {path}"
        item = doc["paths"].get(path)
        op = item.get(entry["method"].lower()) if item else None
        if not op:
            return None, f"{entry['method']} {path} is not in {a.spec}"
        rs = op.get("responses", {})
        r = rs.get(str(status)) or rs.get(f"{str(status)[0]}XX") or rs.get("default")
        r = resolve_response(r)
        content = (r or {}).get("content", {})
        media = content.get("application/json")
        if not media or "schema" not in media:
            return None, f"the description declares no JSON body for {entry['method']} {path} {status}"
        sch = media["schema"]
        label = sch["$ref"].split("/")[-1] if "$ref" in sch else (sch.get("title") or "inline schema")
        return label, sch

    def ancestors(name):
        """The schema names in `name`'s allOf chain, itself included."""
        out, todo = [], [name]
        while todo:
            n = todo.pop()
            if n in out or n not in schemas:
                continue
            out.append(n)
            for sub in schemas[n].get("allOf", []):
                if "$ref" in sub:
                    todo.append(sub["$ref"].split("/")[-1])
        return out

    class PolyStrict(vp.Strict):
        """validate_payload.py's strict check, aware of OData polymorphism: an object whose
        `@odata.type` names a type derived from the declared one (a `#microsoft.graph.user` in a
        `directoryObject` collection) is checked against the derived type, as Graph's metadata
        intends. The derived object also gets the JSON Schema check of its own type."""

        def check(self, sch, inst, path):
            if isinstance(inst, dict) and isinstance(inst.get("@odata.type"), str):
                derived = inst["@odata.type"].lstrip("#")
                declared = self.resolve(sch)
                names = [n for n, v in schemas.items() if v is declared]
                if derived in schemas and names and names[0] != derived and names[0] in ancestors(derived):
                    sch = {"$ref": f"#/components/schemas/{derived}"}
                    root = {"$ref": sch["$ref"], "components": {"schemas": converted}}
                    val = jsonschema.Draft7Validator(root, format_checker=jsonschema.FormatChecker())
                    for e in val.iter_errors(inst):
                        self.problems.append(f"{path}/{'/'.join(map(str, e.absolute_path))}: {e.message} (as {derived})")
            return super().check(sch, inst, path)

    manifest = json.load(open(a.manifest))
    problems = []
    unchecked = []
    checked = 0
    for entry in manifest:
        where = f"{entry['method']} {entry['path']} {entry['status']}"
        if not entry["described"] and entry["status"] < 400 and entry["path"] in NOT_IN_SUBSET:
            unchecked.append(f"{where}: {NOT_IN_SUBSET[entry['path']]}")
            continue
        label, sch = schema_for(entry)
        op = entry.get("operation", "")
        if label is None:
            problems.append({"operation": op, "text": f"{where}: {sch}"})
            continue
        inst = json.load(open(entry["file"]))
        root = dict(vp.to_jsonschema(copy.deepcopy(sch)))
        root["components"] = {"schemas": converted}
        v = jsonschema.Draft7Validator(root, format_checker=jsonschema.FormatChecker())
        errs = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in v.iter_errors(inst)]
        st = PolyStrict(schemas)
        st.check(sch, inst, "")
        errs += [p for p in st.problems if p.split("/")[-1].split(":")[0] not in a.allow_extra]
        checked += 1
        for e in errs:
            problems.append({"operation": op, "text": f"{where} ({label}): {e} [{entry['file']}]"})
    json.dump({"checked": checked, "problems": problems, "unchecked": unchecked}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
