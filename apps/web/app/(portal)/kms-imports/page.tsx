"use client";

import { KmsImportList } from "../../../src/client/kms-import/KmsImportList";

export default function KmsImportsPage() {
  return <KmsImportList />;
}
