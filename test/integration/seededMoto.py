"""moto_server with a Secrets Manager inventory already in it.

Creating 10,000 secrets through the API takes moto over a minute, and moto cannot date a secret in
the past. This puts them straight into moto's Secrets Manager backend (its own create_secret, then
the dates and rotation state the spec gives) and then serves exactly as `moto_server` does, except
that two answers carry the seeded dates where moto has none: LastAccessedDate in ListSecrets and
each version's CreatedDate in ListSecretVersionIds:

    python3 seededMoto.py --seed SPEC.json -H 127.0.0.1 -p PORT

SPEC.json: {"account": "...", "region": "...", "secrets": [{"name", "created", "lastChanged",
"lastAccessed", "deleted", "kmsKeyId", "tags": [{"Key", "Value"}], "rotation": {"days", "lambdaArn",
"lastRotated", "next"}}]}, dates in epoch seconds.
"""
import json
import sys

from moto.secretsmanager.models import SecretsStore, secretsmanager_backends
from moto.server import main


def seed(path):
    with open(path) as f:
        spec = json.load(f)
    backend = secretsmanager_backends[spec["account"]][spec["region"]]
    # moto's store finds a secret by scanning all of them (names, ARNs, partial ARNs); every name
    # here is new and unique, so while seeding a plain dict lookup by name gives the same answer
    # in constant time. Restored before anything is served.
    scan_contains = SecretsStore.__contains__
    SecretsStore.__contains__ = lambda store, key: dict.__contains__(store, key)
    try:
        for s in spec["secrets"]:
            backend.create_secret(
                name=s["name"],
                secret_string="seeded",
                secret_binary=None,
                description=None,
                tags=s.get("tags") or None,
                kms_key_id=s.get("kmsKeyId"),
                client_request_token=None,
                replica_regions=[],
                force_overwrite=False,
            )
            secret = dict.__getitem__(backend.secrets, s["name"])
            secret.created_date = s["created"]
            secret.last_changed_date = s.get("lastChanged", s["created"])
            for version in secret.versions.values():
                version["createdate"] = secret.last_changed_date
            rotation = s.get("rotation")
            if rotation:
                secret.rotation_requested = True
                secret.rotation_enabled = True
                secret.rotation_lambda_arn = rotation["lambdaArn"]
                secret.auto_rotate_after_days = rotation["days"]
                secret.last_rotation_date = rotation["lastRotated"]
                secret.next_rotation_date = rotation["next"]
            if s.get("deleted") is not None:
                secret.deleted_date = s["deleted"]
            if s.get("lastAccessed") is not None:
                accessed = s["lastAccessed"]
                # moto reports no LastAccessedDate; this secret's dictionary carries the seeded one.
                secret.to_dict = (lambda original, value: lambda: {**original(), "LastAccessedDate": value})(secret.to_dict, accessed)
    finally:
        SecretsStore.__contains__ = scan_contains
    report_version_dates(backend)
    return len(spec["secrets"])


def report_version_dates(backend):
    """moto answers ListSecretVersionIds with every version created "now"; AWS gives the date each
    version was created, which is what the scan reads. The seeded dates are given back instead."""
    listed = backend.list_secret_version_ids

    def list_secret_version_ids(secret_id):
        out = json.loads(listed(secret_id))
        versions = backend.secrets[secret_id].versions
        for v in out["Versions"]:
            created = versions.get(v["VersionId"], {}).get("createdate")
            if created is not None:
                v["CreatedDate"] = created
        return json.dumps(out)

    backend.list_secret_version_ids = list_secret_version_ids


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--seed" in args:
        i = args.index("--seed")
        count = seed(args[i + 1])
        del args[i : i + 2]
        print(f"seeded {count} secrets", flush=True)
    main(args)
