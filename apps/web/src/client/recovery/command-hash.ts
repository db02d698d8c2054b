/**
 * The custodian approves the command they read, not a hash the server hands them: the browser hashes
 * the text it shows (UTF-8, as the server hashes it in apps/web/src/server/sd-recovery/commands.ts) and
 * sends that hash. A server that would sign anything else refuses the approval.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export type CommandCheck = { state: "checking" } | { state: "matches"; sha256: string } | { state: "differs"; sha256: string };

/** Whether the command text hashes to the hash the server listed with it. */
export async function checkCommand(command: string, listedSha256: string): Promise<CommandCheck> {
  const sha256 = await sha256Hex(command);
  return sha256 === listedSha256 ? { state: "matches", sha256 } : { state: "differs", sha256 };
}
