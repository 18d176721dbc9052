/** One recorded HTTP request and its response, redacted, as the reports show it. */
export interface RecordedExchange {
  /** sequence number within the run's module, referenced by verdicts */
  id: string;
  startedAt: string;
  durationMs: number;
  request: {
    method: string;
    url: string;
    headers: Record<string, string | string[]>;
    body?: string;
  };
  response?: {
    status: number;
    headers: Record<string, string | string[]>;
    /** at most the first 64 KiB of the body as text */
    body: string;
    bodyTruncated: boolean;
    bodyBytes: number;
  };
  /** set when no response could be had: the reason, e.g. a timeout */
  error?: { code: string; message: string };
  /** redirects followed on the way to the final response, oldest first */
  redirects?: string[];
  /**
   * a request the suite received rather than sent: the authorization server fetching a client
   * metadata document from the suite's document host
   */
  inbound?: boolean;
}

/** A response as the assertion queries see it (not redacted: it never leaves the engine as is). */
export interface ResponseView {
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  bodyText: string;
}
