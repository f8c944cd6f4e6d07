"""A hardened DynamoDB table in one AWS account, from Python through the dynamodb-hardened package."""

import pulumi
import pulumi_dynamodb_hardened as dynamodb_hardened

orders = dynamodb_hardened.HardenedTable(
    "orders",
    hash_key="pk",
    range_key="sk",
    attributes=[
        {"name": "pk", "type": "S"},
        {"name": "sk", "type": "S"},
        {"name": "customerId", "type": "S"},
    ],
    global_secondary_indexes=[
        {"name": "byCustomer", "hash_key": "customerId", "range_key": "sk"},
    ],
    ttl_attribute="expiresAt",
    stream={"view_type": "KEYS_ONLY"},
    tags={"team": "payments", "stack": pulumi.get_stack()},
)

pulumi.export("tableName", orders.name)
pulumi.export("tableArn", orders.arn)
pulumi.export("keyArn", orders.key_arn)
pulumi.export("streamArn", orders.stream_arn)
