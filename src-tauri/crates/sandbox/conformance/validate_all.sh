#!/bin/bash
# Validates sandbox responses with shared/graph/tools/validate_payload.py --strict.
# Usage: SANDBOX=http://127.0.0.1:PORT SECRET=<the tenant's admin API secret> SHARED=/path/to/shared ./validate_all.sh
# Writes sandbox responses to a temp dir and checks each with shared/graph/tools/validate_payload.py --strict
# (known drift resourceBehaviorOptions/resourceProvisioningOptions/principalOrganizationId allowed).
B=${SANDBOX:?set SANDBOX to the sandbox base URL}; SHARED=${SHARED:-$(cd "$(dirname "$0")/../../../../../shared" && pwd)}
W=$(mktemp -d); cd "$W"; mkdir -p vp
TOKEN=$(curl -s -XPOST $B/_sandbox/tokens -H "x-sandbox-secret: ${SECRET:?set SECRET to the admin API secret graph-sandbox printed}" -H 'content-type: application/json' -d '{"upn":"admin@contoso.com"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
H=(-H "Authorization: Bearer $TOKEN" -H "ConsistencyLevel: eventual" -H "content-type: application/json")
g() { curl -s "${H[@]}" "$B/v1.0/$1" > vp/$2.json; }
p() { curl -s "${H[@]}" -X$1 "$B/v1.0/$2" -d "$3" > vp/$4.json; }
ADELE=87d349ed-44d7-43e1-9a83-5f2406dee5bd; HR=02bd9fd6-8f93-4758-87c3-1fb73740a315
ALLU=$(python3 -c "
import yaml;d=yaml.safe_load(open('$SHARED/graph/openapi/graph-v1.0-subset.lean.yaml'))
s=d['components']['schemas']['microsoft.graph.user']['allOf'][1]['properties']
print(','.join(k for k in s if k not in ('aboutMe','birthday','hireDate','interests','mySite','pastProjects','preferredName','responsibilities','schools','skills','mailboxSettings','print','signInActivity','employeeOrgData','customSecurityAttributes','authorizationInfo','onPremisesExtensionAttributes')))")
p POST users '{"accountEnabled":true,"displayName":"V User","mailNickname":"v","userPrincipalName":"v@contoso.com","usageLocation":"GB","passwordProfile":{"password":"Valid-Passw0rd"}}' user_created
U=$(python3 -c "import json;print(json.load(open('vp/user_created.json'))['id'])")
p POST "users/$U/assignLicense" '{"addLicenses":[{"skuId":"c7df2760-2c81-4ef7-b578-5b5392b571df"}],"removeLicenses":[]}' assign_license
p POST invitations '{"invitedUserEmailAddress":"g@fabrikam.com","inviteRedirectUrl":"https://myapps.microsoft.com"}' invitation
p POST groups '{"displayName":"V Group","mailEnabled":true,"mailNickname":"vgroup","securityEnabled":false,"groupTypes":["Unified"]}' group_created
GID=$(python3 -c "import json;print(json.load(open('vp/group_created.json'))['id'])")
p POST "groups/$GID/members/\$ref" "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/$U\"}" x
p POST "users/$U/contacts" '{"givenName":"Pavel","surname":"Bansky","emailAddresses":[{"address":"p@fabrikam.com","name":"Pavel"}]}' contact_created
p POST "users/$U/contactFolders" '{"displayName":"Suppliers"}' folder_created
p POST roleManagement/directory/roleAssignments "{\"principalId\":\"$U\",\"roleDefinitionId\":\"729827e3-9c14-49f7-bb1b-9608f156bbb8\",\"directoryScopeId\":\"/\"}" assignment_created
p POST "users/$U/revokeSignInSessions" '' revoke
p DELETE "groups/$GID" '' x
g "users?\$select=$ALLU" users_all; g "users" users; g "users/$U?\$select=$ALLU" user_all; g "users/$ADELE" user
g groups groups; g "groups/$HR" group; g "groups/delta" gdelta; g "users/delta" udelta; g "users/delta?\$select=displayName,jobTitle" udelta_sel
g subscribedSkus skus; g directoryRoles roles; g roleManagement/directory/roleDefinitions roledefs; g directoryRoleTemplates tpls; g users/nobody err
g "roleManagement/directory/roleAssignments?\$filter=principalId%20eq%20'$U'" assignments
g "users/$U/licenseDetails" license_details; g "users/$U/memberOf" member_of; g "groups/$HR/members" members; g "users/$U/contacts" contacts; g "users/$U/contactFolders" folders
g "directory/deletedItems/microsoft.graph.group" deleted_groups; g "users/$U/manager" manager_404
S=$SHARED/graph/openapi/graph-v1.0-subset.yaml; V=$SHARED/graph/tools/validate_payload.py
total=0
for x in "users_all microsoft.graph.userCollectionResponse" "users microsoft.graph.userCollectionResponse" "user_all microsoft.graph.user" "user microsoft.graph.user" "user_created microsoft.graph.user" "assign_license microsoft.graph.user" \
  "invitation microsoft.graph.invitation" "group_created microsoft.graph.group" "contact_created microsoft.graph.contact" "folder_created microsoft.graph.contactFolder" "assignment_created microsoft.graph.unifiedRoleAssignment" \
  "groups microsoft.graph.groupCollectionResponse" "group microsoft.graph.group" "gdelta microsoft.graph.groupCollectionResponse" "udelta microsoft.graph.userCollectionResponse" "udelta_sel microsoft.graph.userCollectionResponse" \
  "skus microsoft.graph.subscribedSkuCollectionResponse" "roles microsoft.graph.directoryRoleCollectionResponse" "roledefs microsoft.graph.unifiedRoleDefinitionCollectionResponse" "tpls microsoft.graph.directoryRoleTemplateCollectionResponse" \
  "err microsoft.graph.ODataErrors.ODataError" "manager_404 microsoft.graph.ODataErrors.ODataError" "assignments microsoft.graph.unifiedRoleAssignmentCollectionResponse" "license_details microsoft.graph.licenseDetailsCollectionResponse" \
  "member_of microsoft.graph.directoryObjectCollectionResponse" "members microsoft.graph.directoryObjectCollectionResponse" "contacts microsoft.graph.contactCollectionResponse" "folders microsoft.graph.contactFolderCollectionResponse" \
  "deleted_groups microsoft.graph.groupCollectionResponse"; do
  set -- $x; out=$(python3 $V $S $2 vp/$1.json --strict 2>&1 | grep -v "resourceBehaviorOptions\|resourceProvisioningOptions\|principalOrganizationId" | grep -v "problem(s)")
  n=$(echo -n "$out" | grep -c .); total=$((total+n)); echo "$1 ($2): $n"; [ -n "$out" ] && echo "$out" | head -5
done
echo "TOTAL non-drift problems: $total"
# directoryObject collections: the validator checks items against the base type only; check each by its @odata.type.
SHARED=$SHARED python3 - <<'PY'
import json, subprocess
import os
S=os.environ['SHARED']+'/graph/openapi/graph-v1.0-subset.yaml'; V=os.environ['SHARED']+'/graph/tools/validate_payload.py'
for f in ['member_of', 'members']:
    v = json.load(open(f'vp/{f}.json'))
    for i, it in enumerate(v.get('value', [])):
        ty = it['@odata.type'].lstrip('#')
        r = subprocess.run(['python3', V, S, ty, f'vp/{f}.json', '--strict', '--pointer', f'/value/{i}'], capture_output=True, text=True)
        print(f, i, ty, r.stdout.strip() or 'ok', r.stderr.strip())
PY
