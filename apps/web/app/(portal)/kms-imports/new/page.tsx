"use client";

import { NewKmsImport } from "../../../../src/client/kms-import/NewKmsImport";

export default function NewKmsImportPage() {
  return <NewKmsImport />;
}
