import { AES_SIZES, EC_CURVES, RSA_SIZES } from "@keyward/shared";

export default function Home() {
  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-2xl font-semibold">Keyward</h1>
      <p className="mt-2 text-slate-600">
        Key custody for Bring-Your-Own-Key: keys are generated in your HSM, wrapped inside it for the cloud
        KEK, and imported — never in plaintext outside an HSM.
      </p>
      <section className="mt-6 rounded border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Supported BYOK targets</h2>
        <ul className="mt-2 list-disc pl-6 text-sm">
          <li>RSA {RSA_SIZES.join(" / ")}</li>
          <li>EC {EC_CURVES.join(", ")}</li>
          <li>AES {AES_SIZES.join(" / ")}</li>
        </ul>
      </section>
    </main>
  );
}
