// The staff API, same origin: the signed-in session (Easy Auth's cookie) authenticates every call. A failure becomes
// an ApiError carrying the problem+json (status, title, detail, errors with JSON pointers) for showProblem().
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = problem.errors || [];
  }
}

export async function api(method, path, { body, etag, headers, text } = {}) {
  const h = { Accept: text ? 'text/plain, application/problem+json' : 'application/json, application/problem+json', ...(headers || {}) };
  if (body !== undefined && !(typeof body === 'string')) h['Content-Type'] = 'application/json';
  if (etag) h['If-Match'] = etag;
  let response;
  try {
    response = await fetch('/api/' + path, {
      method, headers: h, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { title: 'The server could not be reached.', detail: 'Check the connection and try again.' });
  }
  if (response.status === 401) {
    // The session ended: sign in again and come back here.
    location.assign('/.auth/login/aad?post_login_redirect_uri=' + encodeURIComponent('/api/console' + location.hash));
    throw new ApiError(401, { title: 'Signed out.' });
  }
  const type = response.headers.get('Content-Type') || '';
  const data = response.status === 204 ? null : type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) throw new ApiError(response.status, data && typeof data === 'object' ? data : { title: `HTTP ${response.status}`, detail: typeof data === 'string' ? data.slice(0, 300) : undefined });
  return { data, etag: response.headers.get('ETag'), status: response.status, headers: response.headers };
}

export const get = (path, o) => api('GET', path, o);

/** Whether the API answers this route at all (the registry and cycle routes arrive with a later deployment). */
export function missingRoute(error) { return error instanceof ApiError && error.status === 404 && !error.type; }

export const enc = encodeURIComponent;
