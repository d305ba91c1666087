#!/usr/bin/env python3
import json, sys, urllib.request, urllib.error
# Usage: SANDBOX=http://127.0.0.1:PORT PRISM=http://127.0.0.1:PRISM_PORT python3 prism_drive.py
# Drives users/groups/members/licences/roles/contacts/delta/$batch through a Prism proxy
# (prism proxy ... --errors) in front of graph-sandbox and lists every response with sl-violations.
import os
B = os.environ["SANDBOX"].rstrip("/")
P = os.environ["PRISM"].rstrip("/")
def admin_token(upn="admin@contoso.com"):
    r = urllib.request.Request(B + "/_sandbox/tokens", data=json.dumps({"upn": upn}).encode(), headers={"content-type": "application/json"})
    return json.load(urllib.request.urlopen(r))["access_token"]
urllib.request.urlopen(urllib.request.Request(B + "/_sandbox/reset", data=b"", method="POST"))
T = admin_token()
results = []
def call(method, path, body=None, headers=None, label=None):
    h = {"Authorization": "Bearer " + T}
    if body is not None: h["content-type"] = "application/json"
    h.update(headers or {})
    url = path if path.startswith("http") else P + "/v1.0" + path
    url = url.replace(B, P).replace(' ', '%20')
    r = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None, headers=h, method=method)
    try:
        resp = urllib.request.urlopen(r); status = resp.status; hd = resp.headers; text = resp.read().decode()
    except urllib.error.HTTPError as e:
        status = e.code; hd = e.headers; text = e.read().decode()
    viol = hd.get("sl-violations")
    results.append((method, label or path, status, viol))
    try: return status, json.loads(text) if text else None
    except Exception: return status, text
ADELE = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"; HR = "02bd9fd6-8f93-4758-87c3-1fb73740a315"
call("GET", "/users")
call("GET", "/users?$top=3&$select=id,displayName,userPrincipalName")
s, v = call("GET", "/users?$top=3")
if isinstance(v, dict) and "@odata.nextLink" in v: call("GET", v["@odata.nextLink"], label="/users (nextLink)")
call("GET", "/users?$filter=startswith(displayName,'A')&$count=true", headers={"ConsistencyLevel": "eventual"})
call("GET", "/users?$search=%22displayName:adele%22", headers={"ConsistencyLevel": "eventual"})
call("GET", "/users/" + ADELE)
call("GET", "/users/AdeleV@contoso.com?$select=displayName,usageLocation,assignedLicenses")
call("GET", "/users/nobody@contoso.com", label="/users/{id} 404")
call("GET", "/users?$top=1000", label="/users $top=1000 400")
s, u = call("POST", "/users", {"accountEnabled": True, "displayName": "Prism User", "mailNickname": "prism", "userPrincipalName": "prism@contoso.com", "passwordProfile": {"password": "Prism-Passw0rd!"}})
call("POST", "/users", {"accountEnabled": True, "displayName": "Prism User", "mailNickname": "prism", "userPrincipalName": "prism@contoso.com", "passwordProfile": {"password": "Prism-Passw0rd!"}}, label="/users dup 400")
uid = u["id"] if isinstance(u, dict) else ADELE
call("PATCH", "/users/" + uid, {"jobTitle": "Tester", "usageLocation": "GB"}, label="PATCH /users/{id} (plain, 204)")
call("PATCH", "/users/" + uid, {"jobTitle": "Tester", "usageLocation": "GB"}, headers={"Prefer": "return=representation"}, label="PATCH /users/{id} (Prefer: return=representation)")
call("GET", "/users/%s?$select=id,otherMails,assignedPlans,identities,businessPhones" % uid)
call("POST", "/users/%s/assignLicense" % uid, {"addLicenses": [{"skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df", "disabledPlans": []}], "removeLicenses": []})
call("GET", "/users/%s/licenseDetails" % uid)
call("GET", "/users/%s/memberOf" % ADELE)
call("GET", "/users/%s/transitiveMemberOf" % ADELE)
call("PUT", "/users/%s/manager/$ref" % uid, {"@odata.id": "https://graph.microsoft.com/v1.0/users/" + ADELE})
call("GET", "/users/%s/manager" % uid)
call("GET", "/users/%s/directReports" % ADELE)
call("POST", "/users/%s/revokeSignInSessions" % uid)
call("POST", "/users/%s/contacts" % uid, {"givenName": "Pavel", "surname": "Bansky", "emailAddresses": [{"address": "pavelb@fabrikam.onmicrosoft.com", "name": "Pavel Bansky"}]})
call("GET", "/users/%s/contacts" % uid)
s, f = call("POST", "/users/%s/contactFolders" % uid, {"displayName": "Suppliers"})
call("GET", "/users/%s/contactFolders" % uid)
if isinstance(f, dict):
    call("POST", "/users/%s/contactFolders/%s/childFolders" % (uid, f["id"]), {"displayName": "EMEA"})
    call("GET", "/users/%s/contactFolders/%s/childFolders" % (uid, f["id"]))
call("GET", "/groups")
call("GET", "/groups/" + HR)
s, g = call("POST", "/groups", {"displayName": "Prism Group", "mailEnabled": False, "mailNickname": "prismgroup", "securityEnabled": True})
gid = g["id"] if isinstance(g, dict) else HR
call("PATCH", "/groups/" + gid, {"description": "checked by prism"}, label="PATCH /groups/{id} (plain, 204)")
call("PATCH", "/groups/" + gid, {"description": "checked by prism"}, headers={"Prefer": "return=representation"}, label="PATCH /groups/{id} (Prefer: return=representation)")
call("POST", "/groups/%s/assignLicense" % gid, {"addLicenses": [{"skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df", "disabledPlans": []}], "removeLicenses": []})
call("POST", "/groups/%s/members/$ref" % gid, {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + uid})
call("POST", "/groups/%s/members/$ref" % gid, {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + uid}, label="/groups/{id}/members/$ref dup 400")
call("GET", "/groups/%s/members" % gid)
call("GET", "/groups/%s/members/$count" % gid, headers={"ConsistencyLevel": "eventual"})
call("GET", "/groups/%s/owners" % gid)
call("GET", "/groups/%s/transitiveMembers" % gid)
call("DELETE", "/groups/%s/members/%s/$ref" % (gid, uid))
call("GET", "/groups/$count", headers={"ConsistencyLevel": "eventual"})
call("GET", "/users/$count", headers={"ConsistencyLevel": "eventual"})
s, d = call("GET", "/users/delta?$select=displayName,jobTitle")
while isinstance(d, dict) and "@odata.nextLink" in d:
    s, d = call("GET", d["@odata.nextLink"], label="/users/delta (nextLink)")
if isinstance(d, dict):
    call("PATCH", "/users/" + uid, {"jobTitle": "Tester 2"}, headers={"Prefer": "return=representation"})
    call("GET", d["@odata.deltaLink"], label="/users/delta (deltaLink)")
s, d = call("GET", "/groups/delta?$select=displayName,members")
while isinstance(d, dict) and "@odata.nextLink" in d:
    s, d = call("GET", d["@odata.nextLink"], label="/groups/delta (nextLink)")
if isinstance(d, dict): call("GET", d["@odata.deltaLink"], label="/groups/delta (deltaLink)")
call("GET", "/groups/delta?$deltatoken=latest")
call("GET", "/directoryRoles")
call("GET", "/directoryRoles/43a63cc2-582b-4d81-a79d-1591f91d5558")
call("GET", "/directoryRoles/43a63cc2-582b-4d81-a79d-1591f91d5558/members")
call("POST", "/directoryRoles/76f84d30-2759-4c66-915d-65c6e4083fa0/members/$ref", {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + uid})
call("DELETE", "/directoryRoles/76f84d30-2759-4c66-915d-65c6e4083fa0/members/%s/$ref" % uid)
call("GET", "/directoryRoleTemplates")
call("GET", "/roleManagement/directory/roleDefinitions")
s, a = call("POST", "/roleManagement/directory/roleAssignments", {"principalId": uid, "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8", "directoryScopeId": "/"})
call("GET", "/roleManagement/directory/roleAssignments?$filter=principalId eq '%s'" % uid)
if isinstance(a, dict): call("DELETE", "/roleManagement/directory/roleAssignments/" + a["id"])
call("GET", "/subscribedSkus")
call("POST", "/invitations", {"invitedUserEmailAddress": "guest@fabrikam.com", "inviteRedirectUrl": "https://myapps.microsoft.com"})
call("DELETE", "/groups/" + gid)
call("DELETE", "/users/" + uid)
call("GET", "/users?$filter=displayName ne 'x'", label="/users ne without header 400")
call("GET", "/users/" + ADELE + "/contacts/nope", label="/users/{id}/contacts/{id} 404")
call("GET", "/directoryRoleTemplates/62e90394-69f5-4237-9190-012177145e10")
call("GET", "/roleManagement/directory/roleDefinitions/62e90394-69f5-4237-9190-012177145e10")
call("GET", "/subscribedSkus/48a80680-7326-48cd-9935-b556b81d3a4e_c7df2760-2c81-4ef7-b578-5b5392b571df")
call("POST", "/$batch", {"requests": [{"id": "1", "method": "GET", "url": "/users/" + ADELE}, {"id": "2", "method": "GET", "url": "/groups", "dependsOn": ["1"]}]})
bad = [r for r in results if r[3] or r[2] in (500, 422)]
print(f"{len(results)} requests through Prism, {len(bad)} with violations")
for r in results: print(r[0], r[1][:90], r[2], ("VIOLATIONS: " + r[3]) if r[3] else "")

sys.exit(1 if [r for r in bad if "plain, 204" not in r[1]] else 0)
