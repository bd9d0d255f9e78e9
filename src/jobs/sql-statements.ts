/**
 * Splits a script of SQL statements at the semicolons that end them, leaving alone
 * those inside quotes, quoted identifiers, dollar-quoted bodies and comments.
 * PGlite runs one statement per parameterized query, and pg-boss sends its
 * schema creation and maintenance as one script.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const char = script[i]!;
    const next = script[i + 1];
    if (char === "'" || char === '"') {
      i = skipQuoted(script, i, char);
    } else if (char === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (char === '$') {
      i = skipDollarQuoted(script, i);
    } else if (char === ';') {
      statements.push(script.slice(start, i));
      i += 1;
      start = i;
    } else {
      i += 1;
    }
  }
  statements.push(script.slice(start));
  return statements.map((statement) => statement.trim()).filter((statement) => statement !== '');
}

/** The index after a quoted run; a doubled quote inside is an escaped one. */
function skipQuoted(script: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < script.length) {
    if (script[i] === quote) {
      if (script[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return i;
}

/** `$$ … $$` or `$tag$ … $tag$`; a `$1` parameter is not a quote. */
function skipDollarQuoted(script: string, open: number): number {
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(open));
  if (!tag) return open + 1;
  const close = script.indexOf(tag[0], open + tag[0].length);
  return close === -1 ? script.length : close + tag[0].length;
}
