/**
 * A command line as the test loader logs it: credentials a caller may put in one — header values such as
 * `Authorization: Bearer …`, `curl -u user:password`, a URL's user info, token-like query parameters — become
 * "(hidden)". The command itself runs unchanged; only what is written to logs is redacted.
 */
const CREDENTIAL_HEADER =
  /\b(authorization|proxy-authorization|x-api-key|x-auth-token|cookie)(\s*:\s*)((?:bearer|basic|token)\s+)?[^\s'"]+/giu;
const CURL_USER = /(\s(?:-u|--user)(?:\s+|=)|\s-u)(['"]?)[^\s'"]+/gu;
const URL_USER_INFO = /(\/\/)[^/\s@'"]+@/gu;
const CREDENTIAL_QUERY =
  /([?&](?:access_token|token|api_key|apikey|api-key|key|password|passwd|secret|sig|signature)=)[^&\s'"#]+/giu;

export function redactCommandLine(text: string): string {
  return text
    .replace(CREDENTIAL_HEADER, '$1$2$3(hidden)')
    .replace(CURL_USER, '$1$2(hidden)')
    .replace(URL_USER_INFO, '$1(hidden)@')
    .replace(CREDENTIAL_QUERY, '$1(hidden)');
}
