/** Encodes protocol answers exactly as docker-credential-helpers does. */

/** The answer of `get`. */
export function encodeCredentials(answer: {
  serverUrl: string;
  username: string;
  secret: string;
}): string {
  return `${JSON.stringify({ ServerURL: answer.serverUrl, Username: answer.username, Secret: answer.secret })}\n`;
}

/** The answer of `list`: server URL -> username. */
export function encodeList(entries: Readonly<Record<string, string>>): string {
  return `${JSON.stringify(entries)}\n`;
}
