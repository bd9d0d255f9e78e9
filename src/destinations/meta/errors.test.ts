import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GraphApiError,
  makeUnexpectedResponseError,
  parseGraphError,
  parseNetworkError,
  type GraphErrorAction,
  type GraphErrorReason,
} from './errors.ts';

const UPLOAD_PATH = '/v25.0/aud1/users';
const NO_HEADERS = new Headers();

type Row = [
  code: number,
  subcode: number | null,
  action: GraphErrorAction,
  reason: GraphErrorReason,
  title: string,
  extra?: { path?: string; message?: string },
];

function graphError(code: number, subcode?: number | null, message = 'An error') {
  const error = { message, type: 'OAuthException', code, error_subcode: subcode ?? undefined };
  return { error: { ...error, fbtrace_id: 'TRACE' } };
}

const CREATE_PATH = '/v25.0/act_1/customaudiences';
const REPLACE_PATH = '/v25.0/aud1/usersreplace';
const DATA_SOURCE_MESSAGE =
  '(#2650) Failed to update the custom audience: This audience was created from data source FILE_IMPORTED.MULTI_HASHES, which does not support data source FILE_IMPORTED.HASHES_OR_USER_IDS.';
const VALUE_BASED_MESSAGE =
  '(#100) Value-Based Custom Audience requires LOOKALIKE_VALUE attribute.';

// One row per line of the code/subcode table in meta-graph-api.md §6.
const SECTION_6: Row[] = [
  [190, null, 'reconnect', 'token_invalid', 'token invalid'],
  [190, 463, 'reconnect', 'token_expired', 'session expired'],
  [190, 460, 'reconnect', 'token_invalid', 'password changed'],
  [190, 467, 'reconnect', 'token_invalid', 'invalid access token'],
  [190, 458, 'reconnect', 'token_invalid', 'app not installed'],
  [190, 459, 'reconnect', 'user_action_required', 'user checkpointed'],
  [190, 464, 'reconnect', 'user_action_required', 'unconfirmed user'],
  [190, 492, 'reconnect', 'token_invalid', 'invalid session'],
  [102, null, 'reconnect', 'token_invalid', 'API session'],
  [10, null, 'reconnect', 'permission_missing', 'permission denied'],
  [200, null, 'reconnect', 'permission_missing', 'permission error 200'],
  [299, null, 'reconnect', 'permission_missing', 'permission error 299'],
  [270, null, 'reconnect', 'permission_missing', 'development-access app'],
  [200, 1870090, 'reconnect', 'terms_not_accepted', 'Custom Audience terms not accepted'],
  [200, 1870050, 'reconnect', 'ad_account_unusable', 'ad account not linked to a business'],
  [2663, null, 'reconnect', 'terms_not_accepted', 'terms of service not accepted'],
  [2664, null, 'reconnect', 'terms_not_accepted', 'corporate terms not accepted'],
  [2655, null, 'reconnect', 'terms_not_accepted', 'older or messaging terms code'],
  [294, null, 'reconnect', 'permission_missing', 'missing permission, allowlist'],
  [100, null, 'fail', 'invalid_parameter', 'invalid parameter on create', { path: CREATE_PATH }],
  [100, null, 'reject_rows', 'invalid_parameter', 'invalid upload', { path: UPLOAD_PATH }],
  [100, null, 'reject_rows', 'invalid_parameter', 'invalid replace', { path: REPLACE_PATH }],
  [100, 33, 'target_gone', 'audience_not_found', 'object does not exist', { path: UPLOAD_PATH }],
  [100, 1713230, 'target_gone', 'audience_flagged', 'flagged: upload blocked'],
  [100, 1713231, 'target_gone', 'audience_flagged', 'flagged: fields restricted'],
  [100, 1713228, 'target_gone', 'audience_flagged', 'flagged: cannot be edited'],
  [100, null, 'fail', 'value_based_audience', 'value-based without LOOKALIKE_VALUE', {
    path: UPLOAD_PATH,
    message: VALUE_BASED_MESSAGE,
  }],
  [105, null, 'reject_rows', 'too_many_rows', 'too many parameters', { path: UPLOAD_PATH }],
  [194, null, 'fail', 'missing_parameter', 'missing required parameter'],
  [2650, null, 'fail', 'audience_update_failed', 'failed to update the audience'],
  [2650, 1870145, 'retry_later', 'replace_in_progress', 'audience update in progress'],
  [2650, 1870158, 'fail', 'replace_session_timed_out', 'replace session timed out'],
  [2650, 1870147, 'fail', 'replace_batch_invalid', 'invalid upload batch for replace'],
  [2650, 1870159, 'fail', 'replace_session_finished', 'replace session finished'],
  [2650, 1870148, 'fail', 'replace_failed', 'replace went wrong'],
  [2650, 1870144, 'fail', 'replace_not_supported', 'audience too large to replace'],
  [2650, null, 'fail', 'data_source_mismatch', 'data source mismatch', {
    message: DATA_SOURCE_MESSAGE,
  }],
  [2654, null, 'retry', 'audience_create_failed', 'failed to create the audience'],
  [2656, null, 'fail', 'audience_has_lookalikes', 'delete blocked by lookalikes'],
  [1487301, null, 'target_gone', 'audience_not_shared', 'audience not shared, as code'],
  [100, 1487301, 'target_gone', 'audience_not_shared', 'audience not shared, as subcode'],
  [1487366, null, 'target_gone', 'audience_not_found', 'audience deleted, as code'],
  [100, 1487366, 'target_gone', 'audience_not_found', 'audience deleted, as subcode'],
  [2635, null, 'fail', 'deprecated_version', 'deprecated API version'],
  [368, null, 'retry_later', 'temporarily_blocked', 'deemed abusive'],
  [1, null, 'retry', 'transient', 'unknown error'],
  [1, 99, 'retry', 'transient', 'unknown error on an oversize upload', { path: UPLOAD_PATH }],
  [2, null, 'retry', 'transient', 'service unavailable'],
  [4, null, 'retry_later', 'throttled', 'app-level limit'],
  [17, 2446079, 'retry_later', 'throttled', 'ad-account score limit'],
  [17, null, 'retry_later', 'throttled', 'user request limit'],
  [32, null, 'retry_later', 'throttled', 'page-level limit'],
  [613, 1487742, 'retry_later', 'throttled', 'too many calls from this ad account'],
  [613, null, 'retry_later', 'throttled', 'abuse-prevention throttle'],
  [80003, null, 'retry_later', 'throttled', 'custom_audience business use case throttle'],
  [80000, null, 'retry_later', 'throttled', 'insights business use case throttle'],
  [80004, null, 'retry_later', 'throttled', 'ads_management business use case throttle'],
  [80014, null, 'retry_later', 'throttled', 'catalog business use case throttle'],
  [803, null, 'retry', 'audience_not_ready', 'aliases do not exist right after create', {
    path: UPLOAD_PATH,
  }],
];

describe('every code of meta-graph-api.md §6 maps to what the runner does next', () => {
  for (const [code, subcode, action, reason, title, extra] of SECTION_6) {
    test(`${code}${subcode ? `/${subcode}` : ''} ${title} → ${action} (${reason})`, () => {
      const body = graphError(code, subcode, extra?.message);

      const error = parseGraphError(400, body, NO_HEADERS, { path: extra?.path });

      assert.ok(error instanceof GraphApiError);
      assert.equal(error.action, action);
      assert.equal(error.reason, reason);
      assert.equal(error.code, code);
      assert.equal(error.subcode, subcode);
      assert.equal(error.fbtraceId, 'TRACE');
      assert.equal(error.httpStatus, 400);
      assert.ok(error.userMessage.length > 20, 'a user message explains the error');
      const retries = action === 'retry' || action === 'retry_later';
      if (retries) assert.ok((error.retryAfterMs ?? 0) > 0, 'a wait is suggested');
      else assert.equal(error.retryAfterMs, null);
    });
  }
});

// Bodies from /work/shared/vectors/payloads.json, rt-graph-response-mocks (RudderStack's mocks).
interface Mock {
  key: string;
  status: number;
  body: unknown;
  action: GraphErrorAction;
  reason: GraphErrorReason;
}

function graphMethodError(code: number, message: string) {
  return { error: { code, message, type: 'GraphMethodException' } };
}

const EXPIRED_SESSION =
  'Error validating access token: Session has expired on Tuesday, 01-Aug-23 10:12:14 PDT. The current time is Sunday, 28-Jan-24 16:01:17 PST.';

const RUDDER_MOCKS: Mock[] = [
  {
    key: 'permissionMissingError',
    status: 400,
    body: graphMethodError(294, 'Missing permission. Please make sure you have ads_management permission and the application is included in the allowlist'),
    action: 'reconnect',
    reason: 'permission_missing',
  },
  {
    key: 'audienceUnavailableError',
    status: 400,
    body: graphMethodError(1487301, 'Custom Audience Unavailable: The custom audience you are trying to use has not been shared with your ad account'),
    action: 'target_gone',
    reason: 'audience_not_shared',
  },
  {
    key: 'audienceDeletedError',
    status: 400,
    body: graphMethodError(1487366, 'Custom Audience Has Been Deleted'),
    action: 'target_gone',
    reason: 'audience_not_found',
  },
  {
    key: 'failedToUpdateAudienceError',
    status: 400,
    body: graphMethodError(2650, 'Failed to update the custom audience'),
    action: 'fail',
    reason: 'audience_update_failed',
  },
  {
    key: 'parameterExceededError',
    status: 400,
    body: graphMethodError(105, 'The number of parameters exceeded the maximum for this operation'),
    action: 'reject_rows',
    reason: 'too_many_rows',
  },
  {
    key: 'tooManyCallsError',
    status: 429,
    body: graphMethodError(80003, 'There have been too many calls to this ad-account.'),
    action: 'retry_later',
    reason: 'throttled',
  },
  {
    key: 'code200PermissionError',
    status: 403,
    body: {
      error: {
        code: 200,
        fbtrace_id: 'AFfWqjY-_y2Q92DsyJ4DQ6f',
        message: '(#200) The current user can not update audience 23861283180290489',
        type: 'OAuthException',
      },
    },
    action: 'reconnect',
    reason: 'permission_missing',
  },
  {
    key: 'accessTokenInvalidError',
    status: 400,
    body: {
      error: {
        message: EXPIRED_SESSION,
        error_user_msg: EXPIRED_SESSION,
        type: 'OAuthException',
        code: 190,
        error_subcode: 463,
        fbtrace_id: 'A3b8C6PpI-kdIOwPwV4PANi',
      },
    },
    action: 'reconnect',
    reason: 'token_expired',
  },
  {
    key: 'accessTokenInvalidError-2',
    status: 400,
    body: {
      error: {
        message: 'The token has expired on Saturday, 23-Sep-23 23:29:14 PDT. The current time is Monday, 07-Apr-25 03:48:44 PDT.',
        type: 'OAuthException',
        code: 190,
        fbtrace_id: 'AxFa_0JxfQ4sctzqEQisyeJ',
      },
    },
    action: 'reconnect',
    reason: 'token_expired',
  },
  {
    key: 'htmlResponse',
    status: 400,
    body: '<!DOCTYPE html><html> <body> <h1>My First Heading</h1><p>My first paragraph.</p> </body></html>',
    action: 'fail',
    reason: 'unexpected_response',
  },
  {
    key: 'validAccessToken',
    status: 400,
    body: {
      error: {
        message: VALUE_BASED_MESSAGE,
        type: 'OAuthException',
        code: 100,
        fbtrace_id: 'ADB2jAGDMC_CbfM9430kDdQ',
      },
    },
    action: 'fail',
    reason: 'value_based_audience',
  },
  {
    key: 'messagingTOSNotAccepted',
    status: 400,
    body: {
      error: {
        message: '(#2655) Marketing Messaging TOS not accepted',
        type: 'OAuthException',
        code: 2655,
        fbtrace_id: 'fbtrace_id',
      },
    },
    action: 'reconnect',
    reason: 'terms_not_accepted',
  },
];

describe('the error bodies other connectors mock for uploads are classified', () => {
  for (const mock of RUDDER_MOCKS) {
    test(`${mock.key} → ${mock.action} (${mock.reason})`, () => {
      const error = parseGraphError(mock.status, mock.body, NO_HEADERS, { path: UPLOAD_PATH });

      assert.equal(error.action, mock.action);
      assert.equal(error.reason, mock.reason);
    });
  }
});

// Bodies from /work/shared/vectors/payloads.json, meta-doc-error-examples.
describe("the error bodies quoted in Meta's documentation are classified", () => {
  test('an upload to an audience flagged for integrity marks the audience gone', () => {
    const body = {
      error: {
        message: 'Invalid parameter',
        code: 100,
        error_subcode: 1713230,
        error_user_title: 'Audience Upload Blocked',
        error_user_msg: 'Before updating user memberships, you must resolve integrity restrictions on this Data File Custom Audience. Go to Audience Manager to appeal the restrictions or create a new audience with updated data',
      },
    };

    const error = parseGraphError(400, body, NO_HEADERS, { path: UPLOAD_PATH });

    assert.equal(error.action, 'target_gone');
    assert.equal(error.reason, 'audience_flagged');
  });

  test('editing a flagged audience, either way, marks the audience gone', () => {
    const examples = [
      [1713231, 'Update Restricted Fields and Rule'],
      [1713228, 'Custom Audience Cannot Be Edited'],
    ] as const;

    for (const [subcode, title] of examples) {
      const error = { message: 'Invalid parameter', code: 100, error_subcode: subcode };
      const body = { error: { ...error, error_user_title: title } };

      assert.equal(parseGraphError(400, body, NO_HEADERS).reason, 'audience_flagged', title);
    }
  });

  test("the error-handling guide's generic shape keeps code, subcode and trace id", () => {
    const body = {
      error: {
        message: 'Message describing the error',
        type: 'OAuthException',
        code: 190,
        error_subcode: 460,
        error_user_title: 'A title',
        error_user_msg: 'A message',
        fbtrace_id: 'EJplcsCHuLu',
      },
    };

    const error = parseGraphError(400, body, NO_HEADERS);

    assert.equal(error.action, 'reconnect');
    assert.equal(error.reason, 'token_invalid');
    assert.equal(error.code, 190);
    assert.equal(error.subcode, 460);
    assert.equal(error.fbtraceId, 'EJplcsCHuLu');
    assert.match(error.message, /190\/460/);
  });
});

describe('terms of service messages link to the Terms page of the right ad account', () => {
  test("the connected ad account's id goes into the link, without its act_ prefix", () => {
    const context = { adAccountId: 'act_42' };

    const error = parseGraphError(400, graphError(200, 1870090), NO_HEADERS, context);

    const link = 'https://business.facebook.com/ads/manage/customaudiences/tos/?act=42';
    assert.ok(error.userMessage.includes(`Accept Meta's Custom Audience terms at ${link} `));
    assert.match(error.userMessage, /Reconnect/);
  });

  test("without a known ad account, the id in Meta's own message is used", () => {
    const message =
      'Terms of service has not been accepted. To accept, go to https://www.facebook.com/customaudiences/app/tos/?act=987654';

    const error = parseGraphError(400, graphError(2663, null, message), NO_HEADERS);

    assert.match(error.userMessage, /tos\/\?act=987654 /);
  });
});

function usageHeaders(regainMinutes: number) {
  const entry = { type: 'custom_audience', call_count: 100, total_cputime: 10, total_time: 10 };
  const usage = { '42': [{ ...entry, estimated_time_to_regain_access: regainMinutes }] };
  return new Headers({ 'x-business-use-case-usage': JSON.stringify(usage) });
}

describe('throttling waits as long as Meta announces', () => {
  test('estimated_time_to_regain_access in the business use case header sets retryAfterMs', () => {
    const error = parseGraphError(400, graphError(80003), usageHeaders(2));

    assert.equal(error.action, 'retry_later');
    assert.equal(error.retryAfterMs, 120_000);
  });

  test('without a usage header each throttle code has its own default wait', () => {
    assert.equal(parseGraphError(400, graphError(80003), NO_HEADERS).retryAfterMs, 300_000);
    assert.equal(parseGraphError(400, graphError(17, 2446079), NO_HEADERS).retryAfterMs, 60_000);
    assert.equal(parseGraphError(400, graphError(368), NO_HEADERS).retryAfterMs, 3_600_000);
  });

  test('a usage header on an error that is not a throttle does not turn it into a wait', () => {
    const usage = { acc_id_util_pct: 100, reset_time_duration: 30 };
    const headers = new Headers({ 'x-ad-account-usage': JSON.stringify(usage) });

    const error = parseGraphError(400, graphError(190, 463), headers);

    assert.equal(error.retryAfterMs, null);
  });

  test('a 429 without a Graph body waits for the usage header', () => {
    const error = parseGraphError(429, '', usageHeaders(1));

    assert.equal(error.action, 'retry_later');
    assert.equal(error.retryAfterMs, 60_000);
  });
});

describe('transient failures are retried and flagged when the work may have been done', () => {
  test('is_transient on an otherwise unknown code means retry', () => {
    const body = { error: { message: 'Please retry', code: 9999, is_transient: true } };

    const error = parseGraphError(400, body, NO_HEADERS);

    assert.equal(error.action, 'retry');
    assert.equal(error.reason, 'transient');
  });

  test("Meta's unknown error may have done the work, so it is ambiguous", () => {
    assert.equal(parseGraphError(500, graphError(1), NO_HEADERS).ambiguous, true);
  });

  test('a clean refusal such as 803 or a throttle is not ambiguous', () => {
    assert.equal(parseGraphError(400, graphError(803), NO_HEADERS).ambiguous, false);
    assert.equal(parseGraphError(400, graphError(80003), NO_HEADERS).ambiguous, false);
  });

  test('a 5xx gateway page that is not JSON means retry, ambiguously', () => {
    const error = parseGraphError(502, '<html>Bad Gateway</html>', NO_HEADERS);

    assert.equal(error.action, 'retry');
    assert.equal(error.reason, 'transient');
    assert.equal(error.ambiguous, true);
  });

  test('an unrecognised code on a 5xx means retry', () => {
    assert.equal(parseGraphError(503, graphError(424242), NO_HEADERS).action, 'retry');
  });
});

describe('network failures', () => {
  function fetchFailed(code: string, message: string) {
    const cause = Object.assign(new Error(message), { code });
    return new TypeError('fetch failed', { cause });
  }

  test('a connection lost after sending is retried and ambiguous', () => {
    const error = parseNetworkError(fetchFailed('UND_ERR_SOCKET', 'other side closed'));

    assert.equal(error.action, 'retry');
    assert.equal(error.reason, 'network');
    assert.equal(error.ambiguous, true);
    assert.equal(error.cause instanceof TypeError, true);
  });

  test('a refused connection never reached Meta, so it is not ambiguous', () => {
    const error = parseNetworkError(fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED'));

    assert.equal(error.reason, 'network');
    assert.equal(error.ambiguous, false);
  });

  test('a timeout is retried and ambiguous', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');

    const error = parseNetworkError(timeout);

    assert.equal(error.action, 'retry');
    assert.equal(error.reason, 'timeout');
    assert.equal(error.ambiguous, true);
  });
});

describe('unrecognised errors', () => {
  test("an unknown 4xx code fails with a generic message, Meta's words and the trace id", () => {
    const error = { message: 'Something new', code: 31337, error_user_msg: 'Try something else' };

    const parsed = parseGraphError(400, { error: { ...error, fbtrace_id: 'XYZ' } }, NO_HEADERS);

    assert.equal(parsed.action, 'fail');
    assert.equal(parsed.reason, 'unknown');
    assert.match(parsed.userMessage, /31337/);
    assert.match(parsed.userMessage, /Meta says: "Try something else"/);
    assert.match(parsed.userMessage, /trace id: XYZ/);
  });

  test('a success body of the wrong shape fails as an unexpected response', () => {
    const error = makeUnexpectedResponseError(200, 'invalid at id');

    assert.equal(error.action, 'fail');
    assert.equal(error.reason, 'unexpected_response');
    assert.equal(error.httpStatus, 200);
  });
});
