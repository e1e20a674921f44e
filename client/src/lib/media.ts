/** A question image's URL: the server may send a full path (/media/…) or a bare file name. */
export function mediaUrl(src: string): string {
  return /^(https?:)?\//.test(src) || src.startsWith('data:') ? src : `/media/${src}`;
}
