"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { AirGappedStep } from "@keyward/shared";
import { useApi } from "../../auth/AuthProvider";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/I18nProvider";
import { ceremony } from "../../i18n/messages/ceremony";
import { Field, inputClass } from "../Field";
import { fetchCommandFile, useUploadResult } from "../queries";
import { useDateText } from "../words";

/** Hands the browser's copy of a file to the user's downloads; nothing of it is kept on the page. */
function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * The air-gapped round trip: download the signed command, run it on the HSM host with the real CLI
 * (`keyward-bridge exec FILE > result.jws`), and upload the signed result the bridge printed.
 */
export function AirGappedPanel({ id, step }: { id: string; step: AirGappedStep }) {
  const t = useT(ceremony);
  const date = useDateText();
  const api = useApi();
  const qc = useQueryClient();
  const upload = useUploadResult();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>();
  const [filename, setFilename] = useState<string>();
  const [pasted, setPasted] = useState("");
  // A bulk wrap result can be large: a chosen file is sent as read, not poured into the text box.
  const [chosen, setChosen] = useState<{ name: string; text: string }>();
  const result = chosen?.text ?? pasted;
  const [empty, setEmpty] = useState(false);

  const download = async () => {
    setDownloading(true);
    setDownloadError(undefined);
    try {
      const file = await fetchCommandFile(api, id);
      save(file.blob, file.filename);
      setFilename(file.filename);
      // The record now says until when the file is valid.
      await qc.invalidateQueries({ queryKey: ["ceremonies", id] });
    } catch (err) {
      setDownloadError(err);
    } finally {
      setDownloading(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!result.trim()) return setEmpty(true);
    upload.mutate(
      { id, result },
      {
        onSuccess: () => {
          setPasted("");
          setChosen(undefined);
          setFilename(undefined);
        },
      },
    );
  };

  // The server names each file `keyward-<id>-<step>-<n>-of-<total>.jws`: the command is exact before the download too.
  const command = `keyward-bridge exec ${filename ?? `keyward-${id}-${step.step}-${step.file}-of-${step.files}.jws`} > result.jws`;
  return (
    <section data-testid="air-gapped-panel" className="space-y-3 rounded border border-sky-300 bg-sky-50 p-4 text-sm">
      <h2 className="font-semibold">{t("ag.title", { file: step.file, files: step.files, step: t(`ag.step.${step.step}`) })}</h2>
      <p data-testid="air-gapped-what">{t("ag.what", { description: step.description })}</p>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          data-testid="download-command"
          onClick={() => void download()}
          disabled={downloading}
          className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50"
        >
          {downloading ? t("ag.downloading") : t("ag.download")}
        </button>
        {filename ? <span className="text-xs text-slate-700">{t("ag.downloaded", { filename })}</span> : null}
      </div>
      {step.expiresAt ? <p className="text-xs text-slate-700">{t("ag.expires", { time: date(step.expiresAt) })}</p> : null}
      {downloadError ? <ErrorNotice error={downloadError} /> : null}
      <div>
        <p className="text-xs text-slate-700">{t("ag.run")}</p>
        <pre data-testid="air-gapped-command" className="mt-1 overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs text-slate-50">
          {command}
        </pre>
        <p className="mt-1 text-xs text-slate-600">{t("ag.runNote")}</p>
      </div>
      <form onSubmit={submit} className="space-y-2" noValidate>
        <label className="block text-xs font-medium text-slate-700">
          {t("ag.upload")}
          <input
            type="file"
            data-testid="result-file"
            accept=".jws,.txt,application/jose,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file)
                void file.text().then((text) => {
                  setChosen({ name: file.name, text });
                  setEmpty(false);
                  upload.reset();
                });
            }}
            className="mt-1 block text-xs"
          />
        </label>
        {chosen ? <p className="text-xs text-slate-700">{t("ag.loaded", { filename: chosen.name, size: chosen.text.length })}</p> : null}
        <Field name="result" label={t("ag.paste")} problem={empty ? t("ag.empty") : undefined} serverError={upload.error}>
          {(a) => (
            <textarea
              {...a}
              name="result"
              rows={3}
              spellCheck={false}
              value={pasted}
              disabled={chosen !== undefined}
              onChange={(e) => {
                setPasted(e.target.value);
                setEmpty(false);
                upload.reset();
              }}
              className={`${inputClass(a)} font-mono text-xs`}
            />
          )}
        </Field>
        <button type="submit" data-testid="upload-result" disabled={upload.isPending} className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          {upload.isPending ? t("ag.submitting") : t("ag.submit")}
        </button>
      </form>
    </section>
  );
}
