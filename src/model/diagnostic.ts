/** A warning or error with a stable code, as the sidecar reports it on stderr. */
export interface Diagnostic {
  /** information: what a person running the command wants to see (a logger started, stopped). */
  Level: 'error' | 'warning' | 'verbose' | 'progress' | 'information';
  Code: string;
  Message: string;
  /** What it concerns: a file, a pid, an address. */
  Target?: string;
  /** Progress only: the long work this is the progress of ("Importing logs"); Message is its status. */
  Activity?: string;
  /** Set on the error that ended the command (anything else concerned one input). */
  Fatal?: true;
}
