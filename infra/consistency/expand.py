"""Print template.yaml expanded by the SAM transform (aws-sam-translator), as
JSON: the resources CloudFormation would create, IAM roles included.

Usage: python3 expand.py template.yaml

Local code locations are replaced by S3 URIs first (what `sam package` does)
and no AWS call is made (managed policy names are not looked up).
"""
import json
import os
import sys

import cfnlint.decode.cfn_yaml as cfn_yaml
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


def main(path):
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    template = cfn_yaml.load(path)
    for res in template.get("Resources", {}).values():
        if res.get("Type") == "AWS::Serverless::Function":
            res.setdefault("Properties", {})["CodeUri"] = "s3://espace-osc-artifacts/function.zip"
    out = transform(template, {}, NoManagedPolicies())
    json.dump(out, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
