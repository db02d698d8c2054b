"use client";

import { useEffect, useState } from "react";

/**
 * MSAL's redirect bridge: the identity provider sends the browser here with the authorization response,
 * and this page hands it to the page that started the sign-in. Deliberately outside the signed-in frame.
 */
export default function RedirectBridge() {
  const [failed, setFailed] = useState<string>();
  useEffect(() => {
    void import("@azure/msal-browser/redirect-bridge")
      .then((m) => m.broadcastResponseToMainFrame())
      .catch((err: unknown) => setFailed(err instanceof Error ? err.message : String(err)));
  }, []);
  return (
    <main className="mx-auto mt-24 max-w-md p-6 text-sm text-slate-600">
      {failed ? (
        <p role="alert">
          Sign-in could not be completed: {failed}. <a className="underline" href="/">Start again</a>
        </p>
      ) : (
        <p>Completing sign-in…</p>
      )}
    </main>
  );
}
