/**
 * Whether a join link only works on the machine that shows it (localhost, 127.x, ::1): phones in the hall
 * cannot open it. The host console warns before the QR code goes on the projector.
 */
export function onlyThisMachine(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
  } catch {
    return false;
  }
}
