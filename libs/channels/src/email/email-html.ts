export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** The HTML part of a notice whose text part says it all: the text, escaped, line breaks kept. */
export function plainTextHtml(text: string): string {
  return `<!doctype html><html lang="ja"><body style="font-family:sans-serif;line-height:1.6">
    <pre style="white-space:pre-wrap;font:inherit">${escapeHtml(text)}</pre></body></html>`;
}
