import { BatchOutcome, EmailBatch } from './email-batch';

/**
 * DI token for the service that delivers email. Implementations send one batch and say which
 * messages were accepted; a failure of the whole batch is thrown as an EmailProviderError.
 */
export abstract class EmailProvider {
  /** Short name used in logs and delivery records: `sendgrid`, `resend`, `outbox`. */
  abstract readonly name: string;
  /** The most messages one `send` call may carry. */
  abstract readonly maxBatchSize: number;
  /** Whether a batch with a shared body goes out in one request rather than one per message. */
  abstract readonly substitutesServerSide: boolean;

  abstract send(batch: EmailBatch): Promise<BatchOutcome>;
}
