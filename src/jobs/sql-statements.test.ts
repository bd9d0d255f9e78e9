import assert from 'node:assert/strict';
import { test } from 'node:test';
import PgBoss from 'pg-boss';
import { splitSqlStatements } from './sql-statements.ts';

test('a script splits at the semicolons that end statements, not those in quotes, bodies or comments', () => {
  const script = `
    BEGIN;
    SELECT 'a;b', "we;ird";  -- a comment; still one
    CREATE FUNCTION f() RETURNS void AS $$ BEGIN PERFORM 1; END; $$ LANGUAGE plpgsql;
    /* block; comment */ SELECT $tag$ x; y $tag$, $1;
    COMMIT;
  `;

  assert.deepEqual(splitSqlStatements(script), [
    'BEGIN',
    `SELECT 'a;b', "we;ird"`,
    '-- a comment; still one\n    CREATE FUNCTION f() RETURNS void AS $$ BEGIN PERFORM 1; END; $$ LANGUAGE plpgsql',
    '/* block; comment */ SELECT $tag$ x; y $tag$, $1',
    'COMMIT',
  ]);
});

test("pg-boss's schema creation splits into whole statements, its functions intact", () => {
  const statements = splitSqlStatements(PgBoss.getConstructionPlans('jobs_test'));

  assert.match(statements[0]!, /^BEGIN$/);
  assert.match(statements.at(-1)!, /^COMMIT$/);
  const createQueue = statements.find((statement) => statement.includes('FUNCTION jobs_test.create_queue'));
  assert.match(createQueue!, /ATTACH PARTITION[\s\S]*END;\s*\$\$\s*LANGUAGE plpgsql$/);
});
