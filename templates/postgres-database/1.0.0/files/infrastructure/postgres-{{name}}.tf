# PostgreSQL database {{name}} of {{service}}, added by Paved Road ({{template.id}}@{{template.version}}).
# The pipeline plans and applies this folder; the editor never runs Terraform. In the catalog it is the
# Resource {{name}}, which the Component {{service}} depends on.
#
# The network comes from the platform: this folder's variables database_subnet_group_name and
# database_security_group_ids (the subnets and security groups the platform team provides for databases).

module "postgres_{{#snake}}{{name}}{{/snake}}" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.10.0"

  identifier = "{{name}}"

  engine               = "postgres"
  engine_version       = "{{postgresVersion}}"
  family               = "postgres{{postgresVersion}}"
  major_engine_version = "{{postgresVersion}}"
  instance_class       = "{{instanceClass}}"

  allocated_storage     = {{storageGb}}
  max_allocated_storage = {{storageGb}} * 5
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name                             = "{{#snake}}{{name}}{{/snake}}"
  username                            = "{{#snake}}{{service}}{{/snake}}"
  port                                = 5432
  manage_master_user_password         = true
  iam_database_authentication_enabled = true

  multi_az               = {{highAvailability}}
  db_subnet_group_name   = var.database_subnet_group_name
  vpc_security_group_ids = var.database_security_group_ids

  backup_retention_period          = 14
  backup_window                    = "03:00-04:00"
  maintenance_window               = "Mon:04:00-Mon:05:00"
  deletion_protection              = true
  skip_final_snapshot              = false
  final_snapshot_identifier_prefix = "{{name}}-final"
  performance_insights_enabled     = true
  enabled_cloudwatch_logs_exports  = ["postgresql", "upgrade"]

  tags = {
    "backstage.io/resource"  = "{{name}}"
    "backstage.io/owner"     = "{{ownerName}}"
    "paved-road.dev/service" = "{{service}}"
  }
}

output "postgres_{{#snake}}{{name}}{{/snake}}_endpoint" {
  description = "Where {{service}} connects to {{name}} (host:port)."
  value       = module.postgres_{{#snake}}{{name}}{{/snake}}.db_instance_endpoint
}

output "postgres_{{#snake}}{{name}}{{/snake}}_master_secret_arn" {
  description = "The Secrets Manager secret holding the master user's password, rotated by RDS."
  value       = module.postgres_{{#snake}}{{name}}{{/snake}}.db_instance_master_user_secret_arn
}
