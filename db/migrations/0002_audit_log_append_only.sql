-- 0002_audit_log_append_only: the audit log refuses UPDATE, DELETE and TRUNCATE, even for the
-- table owner and superusers.
--
-- The triggers are ENABLE ALWAYS so that `SET session_replication_role = replica` (which
-- silences ordinary triggers) does not bypass them either. What remains possible is deliberate
-- schema surgery by the owner (DROP TRIGGER, ALTER TABLE ... DISABLE TRIGGER, DROP TABLE); the
-- application role cannot do that, since it owns nothing (0003_application_role.sql).

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a correction as a new audit entry instead.';
END;
$$;

CREATE TRIGGER audit_log_refuse_update_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_refuse_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_refuse_update_delete;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_refuse_truncate;
