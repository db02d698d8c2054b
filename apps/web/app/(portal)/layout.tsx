import type { ReactNode } from "react";
import { Providers } from "../../src/client/Providers";
import { Shell } from "../../src/client/components/Shell";

/** Every page behind sign-in. */
export default function PortalLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <Shell>{children}</Shell>
    </Providers>
  );
}
