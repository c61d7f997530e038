/** A URL as it may appear in logs and events: without user info, query or fragment (they may carry credentials). */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(not a URL)';
  }
  if (url.username === '' && url.password === '' && url.search === '' && url.hash === '') return text;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return `${url.toString()} (credentials, query and fragment hidden)`;
}
