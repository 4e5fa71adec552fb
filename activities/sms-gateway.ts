import type { SmsConfig } from '../schemas/config';
import { gatewayErrorAnswerSchema, sendAnswerSchema } from '../schemas/sms-gateway';

export interface OutgoingSms {
  /** Idempotency key '<caseId>:<step>': one message per case and campaign step, whatever happens. */
  key: string;
  /** E.164 (+47…). */
  to: string;
  body: string;
}

export type GatewayAnswer = { status: 'sent'; providerRef: string } | { status: 'queued' };

export interface SmsGateway {
  readonly provider: 'outbox' | 'http';
  send(sms: OutgoingSms): Promise<GatewayAnswer>;
}

/**
 * A send that did not succeed. Its message is safe to show and to log: it never holds the phone number or the
 * text. retryable: the answer is unknown or the gateway asked us to come back, so sending again with the same
 * key is right; not retryable: the gateway refused this message and will refuse it again.
 */
export class SmsGatewayError extends Error {
  override readonly name = 'SmsGatewayError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

export function createSmsGateway(config: SmsConfig): SmsGateway {
  if (config.provider === 'outbox') return outboxGateway;
  const { url, user, password } = config;
  if (!url || !user || !password) throw new Error('the http SMS gateway needs OT_SMS_URL, OT_SMS_USER and OT_SMS_PASSWORD');
  return new HttpSmsGateway(url, user, password, config.sender, config.timeoutMs);
}

/** The outbox keeps the message in PostgreSQL (deliverSms writes the row) until an export hands it to PSWin's bulk tool. */
const outboxGateway: SmsGateway = {
  provider: 'outbox',
  async send() {
    return { status: 'queued' };
  },
};

/**
 * LINK Mobility's Common platform style (the API behind PSWin): POST JSON { source, destination, userData,
 * refId } with Basic auth; a 2xx answer carries { messageId, resultCode, description }.
 *
 * The contract that makes retries safe, and that we rely on: the gateway treats a repeated refId /
 * Idempotency-Key as the same message — it answers with the first messageId and sends nothing to the handset.
 * Our own records (deliverSms) stop a second POST once an answer is known; the key covers what they cannot:
 * a POST whose answer never arrived (timeout, dropped connection, a worker that died after the gateway
 * accepted). Such a POST is sent again with the same key, and only the key keeps the youth from getting two.
 */
class HttpSmsGateway implements SmsGateway {
  readonly provider = 'http' as const;
  private readonly authorization: string;

  constructor(
    private readonly url: string,
    user: string,
    password: string,
    private readonly sender: string,
    private readonly timeoutMs: number,
  ) {
    this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  async send(sms: OutgoingSms): Promise<GatewayAnswer> {
    let response: Response;
    let text: string;
    try {
      // One deadline for the request and the body: an answer that starts but never ends is as unknown as none.
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: this.authorization,
          'idempotency-key': sms.key,
        },
        body: JSON.stringify({ source: this.sender, destination: sms.to, userData: sms.body, refId: sms.key }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new SmsGatewayError(`the SMS gateway gave no answer within ${this.timeoutMs} ms; whether it took the message is unknown`, true);
      }
      const code = ((err as { cause?: { code?: unknown } }).cause?.code ?? name) as string;
      throw new SmsGatewayError(`the SMS gateway could not be reached (${code})`, true);
    }

    if (response.ok) {
      const answer = sendAnswerSchema.safeParse(parseJson(text));
      // It took the message but we cannot read which id it gave: asking again with the same key gets the id.
      if (!answer.success) throw new SmsGatewayError(`the SMS gateway answered HTTP ${response.status} without a message id`, true, response.status);
      return { status: 'sent', providerRef: answer.data.messageId };
    }

    const refusal = gatewayErrorAnswerSchema.safeParse(parseJson(text));
    const description = refusal.success ? safeDescription(refusal.data.description, sms.body) : undefined;
    const said = description ? `: ${description}` : '';
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    if (retryable) throw new SmsGatewayError(`the SMS gateway answered HTTP ${response.status}${said}`, true, response.status);
    throw new SmsGatewayError(`the SMS gateway refused the message (HTTP ${response.status})${said}`, false, response.status);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The gateway's own words, made safe to show: a gateway may echo the number ("invalid destination
 * +4791234567") or the text, and neither may reach an error message, a log or the Temporal UI.
 */
export function safeDescription(description: string | undefined, body: string): string | undefined {
  if (!description) return undefined;
  if (mentionsText(description, body)) return 'the gateway quoted the message text; its description is withheld';
  // Every run of 8 or more digits (spaces and dashes allowed) goes, not only the recipient's: a number may be
  // written in another format, or be a guardian's.
  const s = description
    .replace(/\+?\d[\d -]{6,}\d/g, '[number]')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

function mentionsText(description: string, body: string): boolean {
  const text = body.trim();
  // A text this short says nothing about a person, and would match half the gateway's own words.
  if (text.length < 4) return false;
  const window = Math.min(text.length, 12);
  for (let i = 0; i + window <= text.length; i++) {
    if (description.includes(text.slice(i, i + window))) return true;
  }
  return false;
}
