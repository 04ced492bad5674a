// Browser-side byte helpers: the console moves names and values as base64url of their bytes.

export function bytesToRef(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function textToRef(text: string): string {
  return bytesToRef(new TextEncoder().encode(text));
}
