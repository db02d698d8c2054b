import { z } from "zod";

/** HSM object labels: what custodians read in vendor tools too, so keep them plain. */
export const TokenLabelSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: "a key label is 1–64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit",
  });
