#!/usr/bin/env python3
"""Derive the Prism description of `cargo xtask conformance` from the shared lean description.

    python3 restore_collection_values.py LEAN_V1PREFIX.yaml FULL.yaml OUT.yaml

The shared `graph-v1.0-subset.lean.v1prefix.yaml` dropped navigation properties to break `$ref`
cycles, and with them the `value` property of every `microsoft.graph.*CollectionResponse` schema
(`value` is an array of entity references, so the lean extraction treated it as navigation). Without
`value`, Prism validates only `@odata.nextLink` of a list answer and never looks at the listed
objects. This copies `value` back, verbatim, from Microsoft's full description for every collection
response whose item schema exists in the lean file. Nothing else changes (the YAML is re-serialised).
"""
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def main():
    lean_path, full_path, out_path = sys.argv[1:4]
    lean = yaml.load(open(lean_path), Loader=Loader)
    full = yaml.load(open(full_path), Loader=Loader)
    ls, fs = lean["components"]["schemas"], full["components"]["schemas"]
    restored = []
    for name, schema in ls.items():
        if not name.endswith("CollectionResponse") or "value" in schema.get("properties", {}):
            continue
        value = fs.get(name, {}).get("properties", {}).get("value")
        if not value:
            continue
        item = value.get("items", {}).get("$ref", "").split("/")[-1]
        if item and item not in ls:
            print(f"skipped {name}: item schema {item} is not in the lean file", file=sys.stderr)
            continue
        schema.setdefault("properties", {})["value"] = value
        restored.append(name)
    lean.setdefault("info", {})["x-conformance-restored-values"] = sorted(restored)
    with open(out_path, "w") as f:
        yaml.dump(lean, f, Dumper=Dumper, sort_keys=False, default_flow_style=False, width=1 << 30, allow_unicode=True)
    print(f"restored value on {len(restored)} collection responses", file=sys.stderr)


if __name__ == "__main__":
    main()
