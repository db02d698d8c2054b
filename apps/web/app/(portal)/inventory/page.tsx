"use client";

export default function KeysPage() {
  return <h1 className="text-lg font-semibold">Keys</h1>;
}
