// The cloud's minimal web page: log in, see recorders and their link state. Plain ES module, no build.
const $ = (selector) => document.querySelector(selector);

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.message || response.statusText), { status: response.status });
  return data;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function showRecorders() {
  const recorders = await api('GET', '/api/recorders');
  const rows = recorders.map((r) => {
    const tr = document.createElement('tr');
    tr.append(
      cell(r.name),
      cell(r.revoked ? 'revoked' : r.online ? 'online' : 'offline', r.online ? 'online' : 'offline'),
      cell(r.since ? new Date(r.since).toLocaleString() : '—'),
      cell(r.publicAddress || '—'),
      cell(r.transport || '—'),
      cell(r.viaProxy ? 'yes' : 'no'),
    );
    return tr;
  });
  $('#recorders tbody').replaceChildren(...rows);
  $('#recorders .empty').hidden = recorders.length > 0;
}

async function start() {
  try {
    const me = await api('GET', '/api/me');
    $('#who').textContent = `${me.email} (${me.role}, ${me.organizationName})`;
    $('#logout').hidden = false;
    $('#login').hidden = true;
    $('#recorders').hidden = false;
    await showRecorders();
    setInterval(() => showRecorders().catch(() => {}), 5000);
  } catch (e) {
    if (e.status !== 401) throw e;
    $('#login').hidden = false;
  }
}

$('#login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    await api('POST', '/api/login', { email: form.get('email'), password: form.get('password') });
    location.reload();
  } catch (e) {
    $('#login .error').textContent = e.message;
  }
});

$('#logout').addEventListener('click', async () => {
  await api('POST', '/api/logout');
  location.reload();
});

start();
