/**
 * The few HTML pages a person sees while running the OAuth flow or accepting the terms
 * against the emulator. Plain forms, no scripts, so a test can drive them with fetch.
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}',
    'button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem}</style>',
    '</head><body>',
    `<p><small>Meta Graph API emulator (Sourcesible Activation)</small></p>`,
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    '</body></html>',
  ].join('\n');
}

function hiddenInputs(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => {
      const attributes = `name="${escapeHtml(name)}" value="${escapeHtml(value as string)}"`;
      return `<input type="hidden" ${attributes}>`;
    })
    .join('\n');
}

export interface DialogPageInput {
  action: string;
  appName: string;
  userName: string;
  scopes: string[];
  fields: Record<string, string | undefined>;
}

/** The login dialog: "Allow" sends decision=allow, "Cancel" decision=cancel, both by POST. */
export function loginDialogPage(input: DialogPageInput): string {
  const scopes = input.scopes
    .map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`)
    .join('\n');
  return page(
    `Log in to ${input.appName}`,
    [
      `<p>Logged in as <strong>${escapeHtml(input.userName)}</strong>.`,
      `${escapeHtml(input.appName)} asks for these permissions:</p>`,
      `<ul>${scopes}</ul>`,
      `<form method="post" action="${escapeHtml(input.action)}">`,
      hiddenInputs(input.fields),
      '<button type="submit" name="decision" value="allow">Allow</button>',
      '<button type="submit" name="decision" value="cancel">Cancel</button>',
      '</form>',
    ].join('\n'),
  );
}

export function termsPage(action: string, accountId: string, accepted: boolean): string {
  if (accepted) {
    const done = `<p>Ad account act_${escapeHtml(accountId)} can now use customer lists.</p>`;
    return page('Custom Audience Terms accepted', done);
  }
  return page(
    'Custom Audience Terms',
    [
      `<p>Ad account act_${escapeHtml(accountId)} has not accepted the Custom Audience Terms.`,
      'Customer-list audiences cannot be created or updated until it does.</p>',
      `<form method="post" action="${escapeHtml(action)}">`,
      '<button type="submit" name="decision" value="accept">Accept the terms</button>',
      '</form>',
    ].join('\n'),
  );
}

export function problemPage(title: string, detail: string): string {
  return page(title, `<p>${escapeHtml(detail)}</p>`);
}
