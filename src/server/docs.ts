import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Json = Record<string, any>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The API reference page, rendered on the server from the OpenAPI document:
 * one section per tag, each operation with its parameters, body and answers,
 * schemas at the end. No script, no external stylesheet or font.
 */
export function renderReference(doc: Json): Markup {
  const operations = collectOperations(doc);
  const tags = [...new Set(operations.map((operation) => operation.tag))];
  const ofTag = (tag: string) => operations.filter((operation) => operation.tag === tag);
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Json>);
  const title = doc.info?.title ?? 'API';

  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} reference</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<nav>
  <h1>${title}</h1>
  <p class="version">OpenAPI ${doc.openapi} · v${doc.info?.version}</p>
  <p><a href="/api/openapi.json">openapi.json</a></p>
  ${tags.map((tag) => html`<h2>${tag}</h2><ul>${ofTag(tag).map(renderNavItem)}</ul>`)}
  <h2><a href="#schemas">Schemas</a></h2>
</nav>
<main>
  <section class="intro">
    <h1>${title} reference</h1>
    <p>${doc.info?.description ?? ''}</p>
  </section>
  ${tags.map((tag) => html`<h2 class="tag">${tag}</h2>${ofTag(tag).map(renderOperation)}`)}
  <h2 class="tag" id="schemas">Schemas</h2>
  ${schemas.map(([name, schema]) => renderNamedSchema(name, schema))}
</main>
</body>
</html>`;
}

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

interface Operation {
  tag: string;
  method: string;
  path: string;
  anchor: string;
  spec: Json;
}

function collectOperations(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const spec = item[method] as Json | undefined;
      if (!spec) continue;
      const anchor = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
      operations.push({ tag: spec.tags?.[0] ?? 'Other', method, path, anchor, spec });
    }
  }
  return operations;
}

function renderNavItem(operation: Operation): Markup {
  const label = html`${badge(operation.method)} ${operation.path}`;
  return html`<li><a href="#${operation.anchor}">${label}</a></li>`;
}

function badge(method: string): Markup {
  return html`<span class="m ${method}">${method.toUpperCase()}</span>`;
}

function renderOperation(operation: Operation): Markup {
  const { spec } = operation;
  const parameters = (spec.parameters ?? []) as Json[];
  const body = spec.requestBody?.content as Record<string, Json> | undefined;
  const responses = Object.entries((spec.responses ?? {}) as Record<string, Json>);

  return html`<section class="op" id="${operation.anchor}">
  <h3>${badge(operation.method)} <code>${operation.path}</code></h3>
  <p>${spec.summary ?? ''}</p>
  ${spec.description ? html`<p class="desc">${spec.description}</p>` : ''}
  ${spec.security?.length ? '' : html`<p class="public">No authentication needed.</p>`}
  ${parameters.length > 0 ? renderParameters(parameters) : ''}
  ${body ? renderBody(body) : ''}
  <h4>Responses</h4>
  <table>${responses.map(([status, response]) => renderResponse(status, response))}</table>
</section>`;
}

function renderParameters(parameters: Json[]): Markup {
  const rows = parameters.map(
    (parameter) => html`<tr>
      <td><code>${parameter.name}</code>${parameter.required ? required() : ''}</td>
      <td>${parameter.in}</td>
      <td>${renderSchema(parameter.schema ?? {})}</td>
      <td>${parameter.description ?? parameter.schema?.description ?? ''}</td>
    </tr>`,
  );
  return html`<h4>Parameters</h4>
  <table><tr><th>name</th><th>in</th><th>schema</th><th></th></tr>${rows}</table>`;
}

function renderBody(content: Record<string, Json>): Markup {
  const media = Object.entries(content).map(
    ([type, entry]) => html`<p class="ct">${type}</p>${renderSchema(entry.schema ?? {})}`,
  );
  return html`<h4>Request body</h4>${media}`;
}

function renderResponse(status: string, response: Json): Markup {
  const content = Object.values((response.content ?? {}) as Record<string, Json>);
  const schemas = content.map((media) => html`<div>${renderSchema(media.schema ?? {})}</div>`);
  return html`<tr>
    <td class="status s${status[0]}">${status}</td>
    <td>${response.description ?? ''}${schemas}</td>
  </tr>`;
}

function renderNamedSchema(name: string, schema: Json): Markup {
  return html`<section class="schema" id="schema-${name}">
    <h3>${name}</h3>${renderSchema(schema)}
  </section>`;
}

function required(): Markup {
  return html` <span class="req">required</span>`;
}

/** A schema as compact text: refs become links, objects list their properties. */
function renderSchema(schema: Json, depth = 0): Markup {
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop();
    return html`<a class="ref" href="#schema-${name}">${name}</a>`;
  }
  if (depth > 6) return html`<span class="t">…</span>`;

  const variants = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (variants) {
    const shown = variants.map((variant) => renderSchema(variant, depth + 1));
    return html`${shown.map((part, i) => html`${i > 0 ? ' | ' : ''}${part}`)}`;
  }
  if (schema.type === 'array') {
    return html`<span class="t">array of</span> ${renderSchema(schema.items ?? {}, depth + 1)}`;
  }
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Json>);
  if (schema.type === 'object' && properties.length > 0) return renderObject(schema, depth);
  return renderScalar(schema, depth);
}

function renderObject(schema: Json, depth: number): Markup {
  const requiredNames = new Set((schema.required ?? []) as string[]);
  const rows = Object.entries(schema.properties as Record<string, Json>).map(
    ([name, property]) => html`<tr>
      <td><code>${name}</code>${requiredNames.has(name) ? required() : ''}</td>
      <td>${renderSchema(property, depth + 1)}${describe(property)}</td>
    </tr>`,
  );
  return html`<table class="props">${rows}</table>`;
}

function renderScalar(schema: Json, depth: number): Markup {
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  const show = (value: unknown) => JSON.stringify(value);
  const details = [
    schema.enum ? `one of ${(schema.enum as unknown[]).map(show).join(', ')}` : '',
    schema.const !== undefined ? `= ${show(schema.const)}` : '',
    schema.format ?? '',
    schema.minLength !== undefined ? `min length ${schema.minLength}` : '',
    schema.maxLength !== undefined ? `max length ${schema.maxLength}` : '',
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : '',
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : '',
    schema.default !== undefined ? `default ${show(schema.default)}` : '',
  ].filter(Boolean);
  const example =
    schema.example === undefined ? '' : html`<pre>${JSON.stringify(schema.example, null, 2)}</pre>`;
  return html`<span class="t">${type}</span>${
    details.length > 0 ? html` <span class="d">(${details.join(', ')})</span>` : ''
  }${depth === 0 ? describe(schema) : ''}${example}`;
}

function describe(schema: Json): Markup | string {
  return schema.description ? html`<div class="pd">${schema.description}</div>` : '';
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2937;
display:flex}
nav{width:300px;height:100vh;overflow:auto;position:sticky;top:0;padding:1rem;
background:#f8fafc;border-right:1px solid #e5e7eb}
nav h1{font-size:1.1rem;margin:0}
nav h2{font-size:.8rem;text-transform:uppercase;color:#6b7280;margin:1rem 0 .3rem}
nav ul{list-style:none;margin:0;padding:0}
nav li a{display:block;padding:.15rem 0;color:#111827;text-decoration:none;font-size:.8rem;
white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
nav a:hover{text-decoration:underline}.version{color:#6b7280;margin:.2rem 0}
main{flex:1;padding:1rem 2rem 4rem;max-width:1100px}
h2.tag{border-bottom:2px solid #e5e7eb;padding-bottom:.3rem;margin-top:2.5rem}
.op,.schema{border:1px solid #e5e7eb;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
.op h3{margin:0;font-size:1rem}
.m{display:inline-block;min-width:3.6rem;text-align:center;border-radius:4px;color:#fff;
font-size:.7rem;font-weight:700;padding:.1rem .3rem}
.get{background:#2563eb}.post{background:#059669}.patch{background:#d97706}
.put{background:#7c3aed}.delete{background:#dc2626}
table{border-collapse:collapse;width:100%;margin:.3rem 0}
td,th{border-top:1px solid #f1f5f9;padding:.3rem .4rem;vertical-align:top;text-align:left}
th{font-size:.75rem;color:#6b7280}.props{margin:0}.props td:first-child{width:14rem}
.req{color:#b91c1c;font-size:.7rem}
.t{color:#7c3aed;font-family:ui-monospace,monospace;font-size:.8rem}
.d{color:#6b7280;font-size:.8rem}.pd,.desc{color:#4b5563}.public{color:#059669}
.ct{font-family:ui-monospace,monospace;color:#6b7280;margin:.2rem 0}
.status{font-weight:700;width:4rem}.s2{color:#059669}.s3{color:#2563eb}.s4{color:#d97706}
.s5{color:#dc2626}
pre{background:#f8fafc;border:1px solid #e5e7eb;border-radius:4px;padding:.4rem;
font-size:.75rem;overflow:auto}
code{font-family:ui-monospace,monospace}
a.ref{font-family:ui-monospace,monospace;font-size:.8rem}
`;
