"use client";

import { FileUp } from "lucide-react";
import { type DragEvent, useId, useState } from "react";

import { MAX_FILE_BYTES } from "@/lib/csv/parse";
import { cn } from "@/lib/utils";

type UploadDropzoneProps = {
  /** The visible label, e.g. "Upload sub-order CSV". */
  label: string;
  onFile: (file: File) => void;
  disabled?: boolean;
  /** Id of an element that describes a problem with the last file (aria-describedby). */
  errorId?: string;
};

/**
 * A file picker that also takes a dropped file. It is a real `<input type="file">` inside its
 * label: a keyboard user tabs to it and presses Enter or Space, a screen reader announces the
 * label, and the whole area is the drop target.
 */
export function UploadDropzone({ label, onFile, disabled, errorId }: UploadDropzoneProps) {
  const inputId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);

  const onDrop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };

  return (
    <label
      htmlFor={inputId}
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-dragging={dragging || undefined}
      className={cn(
        "flex cursor-pointer flex-col items-center justify-center gap-2 rounded-xl border-2 border-input border-dashed bg-muted/30 px-6 py-8 text-center transition-colors",
        "hover:border-ring/60 hover:bg-muted/60 has-[:focus-visible]:border-ring has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring/40",
        "data-[dragging]:border-ring data-[dragging]:bg-ring/5",
        disabled && "pointer-events-none opacity-60",
      )}
    >
      <span className="flex size-10 items-center justify-center rounded-full border bg-background">
        <FileUp aria-hidden="true" className="size-5 text-muted-foreground" />
      </span>
      <span className="font-medium text-sm">{label}</span>
      <span id={hintId} className="text-muted-foreground text-xs">
        Drop a CSV file here, or press to choose one. Up to {MAX_FILE_BYTES / (1024 * 1024)} MB; comma or
        semicolon separated.
      </span>
      <input
        id={inputId}
        type="file"
        accept=".csv,text/csv,text/plain"
        className="sr-only"
        disabled={disabled}
        aria-describedby={errorId ? `${hintId} ${errorId}` : hintId}
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Reset, so that choosing the same file again (after fixing it) fires a change.
          event.target.value = "";
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
