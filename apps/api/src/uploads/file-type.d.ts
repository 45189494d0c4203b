// file-type ships ESM types that `moduleResolution: node` cannot resolve; this is the part we use (Node 24 requires the ESM at run time).
declare module 'file-type' {
  export function fileTypeFromBuffer(buffer: Uint8Array | ArrayBuffer): Promise<{ ext: string; mime: string } | undefined>;
}
