// Parley's operator console: plain JavaScript over the REST API (/api/v1), no build step.
// Everything shown is put into the page as text (textContent), never as HTML: names and messages are untrusted.
// The access token lives in sessionStorage: gone when the tab closes, never sent by the browser on its own (no cookie).
'use strict';

const API = '/api/v1';
const TOKEN = 'parley.console.token';
const PIPELINE = ['APPLIED', 'DOCUMENTS_VERIFIED', 'CALL_SCHEDULED', 'CALL_DONE', 'APPROVED'];
let refresher = null;
let socket = null; // the page's live socket (the ticket page's), closed when another page opens

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
        else if (k === 'class') e.className = v;
        else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
        if (c === null || c === undefined) continue;
        e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
}

function rupees(paise) {
    if (paise === null || paise === undefined) return '';
    const sign = paise < 0 ? '-' : '';
    const p = Math.abs(paise);
    return sign + '₹' + Math.floor(p / 100).toLocaleString('en-IN') + '.' + String(p % 100).padStart(2, '0');
}

function when(instant) {
    return instant ? new Date(instant).toLocaleString() : '';
}

/** A datetime-local input's value (the browser's time zone) as an ISO instant, or undefined when empty. */
function instant(input) {
    return input.value ? new Date(input.value).toISOString() : undefined;
}

/** A number typed into an input, or undefined when it is empty (so the API applies its default). */
function number(input) {
    return input.value === '' ? undefined : Number(input.value);
}

function say(text, error = false) {
    const m = $('message');
    m.textContent = text || '';
    m.className = error ? 'error' : '';
}

/** Calls the API; answers {status, body}. A 401 signs out. */
async function api(method, path, body, headers = {}) {
    const h = {'Accept': 'application/json', ...headers};
    const token = sessionStorage.getItem(TOKEN);
    if (token) h['Authorization'] = 'Bearer ' + token;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const r = await fetch(API + path, {method, headers: h, body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await r.text();
    const json = text ? JSON.parse(text) : null;
    if (r.status === 401 && !path.startsWith('/auth/login')) {
        signOut('Your session has ended: sign in again.');
    }
    return {status: r.status, body: json};
}

/** The detail and field errors of a problem answer, as text. */
function problemText(r) {
    const b = r.body || {};
    const fields = (b.errors || []).map(e => e.field + ': ' + e.message).join('; ');
    return (b.detail || ('HTTP ' + r.status)) + (fields ? ' (' + fields + ')' : '');
}

async function act(label, call, after) {
    const r = await call();
    if (r.status >= 200 && r.status < 300) {
        say(label + ': done');
        if (after) await after(r);
    } else {
        say(label + ': ' + problemText(r), true);
    }
    return r;
}

function table(id, columns, rows) {
    return el('table', {id},
        el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c.title)))),
        el('tbody', {}, rows.map(row => el('tr', {'data-id': row.id || row.expertId || ''},
            columns.map(c => el('td', {class: c.num ? 'num' : null}, c.value(row)))))));
}

function page(title, ...children) {
    const p = $('page');
    p.replaceChildren(el('h2', {}, title), ...children);
    return p;
}

function closeSocket() {
    if (socket) {
        socket.onclose = null;
        socket.close();
        socket = null;
    }
}

/**
 * A socket to {@code path} on this origin, signed in by the access token given as its subprotocol (so the token is not
 * in a URL that logs keep); {@code onframe} gets each frame as an object.
 */
function openSocket(path, onframe, onstate) {
    closeSocket();
    const s = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path, [sessionStorage.getItem(TOKEN)]);
    s.onmessage = (e) => onframe(JSON.parse(e.data));
    s.onopen = () => onstate(true);
    s.onclose = () => onstate(false);
    socket = s;
    return s;
}

/** The parameters after '?' in the page's hash (#page?a=1&b=2). */
function hashParams() {
    return new URLSearchParams(location.hash.split('?')[1] || '');
}

/** Opens the page at {@code hash}, drawing it again when it is the one shown (no hashchange then). */
function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
}

function select(id, values, current, onchange) {
    return el('select', {id, onchange}, values.map(v => el('option', {value: v, selected: v === current}, v || 'all')));
}

// ---- sign in and out ----

async function signIn(event) {
    event.preventDefault();
    say('');
    const email = $('email').value, password = $('password').value;
    let r;
    if (!$('totp-label').hidden && $('totp').value) {
        r = await api('POST', '/auth/login/totp', {mfaToken: $('sign-in-form').dataset.mfa, code: $('totp').value});
    } else {
        r = await api('POST', '/auth/login', {email, password});
    }
    if (r.status === 200 && r.body.mfaRequired) {
        $('sign-in-form').dataset.mfa = r.body.mfaToken;
        $('totp-label').hidden = false;
        say('Enter the code from your authenticator.');
        return;
    }
    if (r.status !== 200) {
        say(problemText(r), true);
        return;
    }
    if (r.body.account.role !== 'ADMIN') {
        say('This console is for administrators.', true);
        return;
    }
    sessionStorage.setItem(TOKEN, r.body.accessToken);
    $('password').value = '';
    go('#dashboard'); // one drawing (setting the hash and calling route() too drew the dashboard twice, one refresher leaked)
}

async function signOut(text) {
    const token = sessionStorage.getItem(TOKEN);
    sessionStorage.removeItem(TOKEN);
    if (token && !text) {
        await fetch(API + '/auth/logout', {method: 'POST', headers: {'Authorization': 'Bearer ' + token}});
    }
    route();
    say(text || 'Signed out.');
}

// ---- pages ----

const FIGURES = [['onlineExperts', 'experts online'], ['liveSessions', 'live sessions'], ['queuedUsers', 'users queued'],
    ['connectedSockets', 'connected sockets'], ['sessionsStartedLastHour', 'sessions started in the last hour']];

async function dashboard() {
    const figures = el('div', {class: 'figures'}, FIGURES.map(([k, name]) =>
        el('div', {class: 'figure'}, el('div', {class: 'value', id: 'rt-' + k}, '…'), el('div', {class: 'name'}, name))));
    const chart = el('div', {id: 'chart'});
    const daily = el('div', {id: 'daily-holder'});
    const money = el('div');
    page('Dashboard', figures, el('p', {id: 'rt-at'}), el('h3', {}, 'The last 30 days'), chart, money, el('h3', {}, 'Day by day'), daily);
    const realtime = async () => {
        const r = await api('GET', '/admin/metrics/realtime');
        if (r.status !== 200) return say(problemText(r), true);
        for (const [k] of FIGURES) { const e = $('rt-' + k); if (e) e.textContent = r.body[k]; }
        if ($('rt-at')) $('rt-at').textContent = 'as of ' + when(r.body.at);
    };
    const at = location.hash;
    await realtime();
    if (location.hash !== at) return; // left meanwhile: no refresher for a page no longer shown
    refresher = setInterval(realtime, 5000);
    const d = await api('GET', '/admin/metrics/daily');
    if (d.status !== 200) return say(problemText(d), true);
    const items = d.body.items;
    daily.replaceChildren(table('daily', [
        {title: 'date', value: x => x.date}, {title: 'sessions started', num: 1, value: x => x.sessionsStarted},
        {title: 'minutes', num: 1, value: x => x.minutesBilled}, {title: 'peak concurrent', num: 1, value: x => x.peakConcurrentSessions},
        {title: 'gross', num: 1, value: x => rupees(x.gross)}, {title: 'fee', num: 1, value: x => rupees(x.fee)},
        {title: 'refunds', num: 1, value: x => rupees(x.refunds)}, {title: 'deposits', num: 1, value: x => rupees(x.deposits)},
        {title: 'payouts', num: 1, value: x => rupees(x.payouts)}, {title: 'orders', num: 1, value: x => x.orders},
        {title: 'new users', num: 1, value: x => x.newUsers}, {title: 'new experts', num: 1, value: x => x.newExperts}],
        items.slice().reverse()));
    if (window.uPlot) {
        const xs = items.map(x => Date.parse(x.date + 'T00:00:00Z') / 1000);
        new uPlot({width: Math.min(900, window.innerWidth - 60), height: 240, series: [{},
                {label: 'gross ₹', stroke: '#2f6fde', width: 2}, {label: 'fee ₹', stroke: '#1a9c5b', width: 2}]},
            [xs, items.map(x => x.gross / 100), items.map(x => x.fee / 100)], chart);
    }
    await revenue(money);
}

/** Days back each revenue granularity shows: 30 days, 12 weeks, 12 months. */
const REVENUE_SPAN = {day: 29, week: 7 * 12 - 1, month: 365};

/** Revenue by day, week or month (GET /admin/revenue): a chart and its buckets, newest first. */
async function revenue(into) {
    const granularity = hashParams().get('granularity') || 'day';
    const chart = el('div', {id: 'revenue-chart'});
    const holder = el('div');
    into.append(el('h3', {}, 'Revenue'), el('form', {}, el('label', {}, 'By ', select('revenue-granularity', ['day', 'week', 'month'], granularity,
        e => { location.hash = '#dashboard?granularity=' + e.target.value; }))), chart, holder);
    const today = new Date();
    const from = new Date(today.getTime() - REVENUE_SPAN[granularity] * 86400000).toISOString().substring(0, 10);
    const r = await api('GET', '/admin/revenue?granularity=' + granularity + '&from=' + from);
    if (r.status !== 200) return say(problemText(r), true);
    const items = r.body.items;
    holder.replaceChildren(table('revenue', [
        {title: granularity + ' from', value: x => x.start}, {title: 'gross', num: 1, value: x => rupees(x.gross)},
        {title: 'fee', num: 1, value: x => rupees(x.fee)}, {title: 'refunds', num: 1, value: x => rupees(x.refunds)}], items.slice().reverse()));
    if (window.uPlot && items.length) {
        new uPlot({width: Math.min(900, window.innerWidth - 60), height: 200, series: [{},
                {label: 'gross ₹', stroke: '#2f6fde', width: 2}, {label: 'fee ₹', stroke: '#1a9c5b', width: 2},
                {label: 'refunds ₹', stroke: '#c0392b', width: 2}]},
            [items.map(x => Date.parse(x.start + 'T00:00:00Z') / 1000), items.map(x => x.gross / 100), items.map(x => x.fee / 100),
                items.map(x => x.refunds / 100)], chart);
    }
}

async function experts() {
    const status = hashParams().get('status') || '';
    const holder = el('div');
    page('Expert applications', el('form', {}, el('label', {}, 'Status ',
        select('expert-status', ['', ...PIPELINE, 'REJECTED'], status, e => { location.hash = '#experts?status=' + e.target.value; }))), holder);
    const r = await api('GET', '/admin/expert-applications?size=100' + (status ? '&status=' + status : ''));
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('applications', [
        {title: 'name', value: x => x.name}, {title: 'email', value: x => x.email}, {title: 'status', value: x => x.status},
        {title: 'specialties', value: x => (x.specialties || []).join(', ')},
        {title: '', value: x => {
            const next = PIPELINE[PIPELINE.indexOf(x.status) + 1];
            const reason = el('input', {placeholder: 'reason to reject', id: 'reason-' + x.expertId});
            return el('div', {class: 'actions'},
                next ? el('button', {id: 'advance-' + x.expertId, onclick: () => act('Move to ' + next,
                    () => api('PUT', '/admin/expert-applications/' + x.expertId, {status: next}), experts)}, next === 'APPROVED' ? 'Approve' : 'Move to ' + next) : null,
                x.status !== 'APPROVED' && x.status !== 'REJECTED' ? [reason, el('button', {id: 'reject-' + x.expertId, onclick: () => act('Reject',
                    () => api('PUT', '/admin/expert-applications/' + x.expertId, {status: 'REJECTED', reason: reason.value}), experts)}, 'Reject')] : null,
                el('button', {onclick: () => documents(x)}, 'Documents'));
        }}], r.body.items));
}

async function documents(x) {
    const r = await api('GET', '/admin/expert-applications/' + x.expertId + '/documents');
    if (r.status !== 200) return say(problemText(r), true);
    const list = el('ul', {id: 'documents'}, r.body.items.map(d => el('li', {}, (d.kind || d.purpose || 'document') + ': ' + (d.name || d.fileId))));
    $('page').append(el('h3', {}, 'Documents of ' + x.name), r.body.items.length ? list : el('p', {}, 'none'));
}

async function accounts() {
    const q = hashParams().get('q') || '';
    const input = el('input', {id: 'account-q', value: q, placeholder: 'name or email'});
    const holder = el('div');
    page('Accounts', el('form', {onsubmit: e => { e.preventDefault(); location.hash = '#accounts?q=' + encodeURIComponent(input.value); }},
        el('label', {}, 'Search ', input), el('button', {type: 'submit', id: 'account-search'}, 'Search')), holder);
    const r = await api('GET', '/admin/accounts?size=50' + (q ? '&q=' + encodeURIComponent(q) : ''));
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('accounts', [
        {title: 'name', value: x => x.name}, {title: 'email', value: x => x.email}, {title: 'role', value: x => x.role},
        {title: 'status', value: x => x.status}, {title: 'since', value: x => when(x.createdAt)},
        {title: '', value: x => x.status === 'DEACTIVATED' ? '' : el('button', {id: 'toggle-' + x.id, onclick: () => act(x.status === 'ACTIVE' ? 'Suspend' : 'Reactivate',
            () => api('PATCH', '/admin/accounts/' + x.id, {status: x.status === 'ACTIVE' ? 'SUSPENDED' : 'ACTIVE'}), accounts)},
            x.status === 'ACTIVE' ? 'Suspend' : 'Reactivate')}], r.body.items));
}

async function sessions() {
    const live = (hashParams().get('live') || 'true') === 'true';
    const holder = el('div');
    page('Sessions', el('p', {}, el('a', {href: '#sessions?live=true'}, 'live'), ' · ', el('a', {href: '#sessions?live=false'}, 'ended')), holder);
    const r = await api('GET', '/admin/sessions?size=50&live=' + live);
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('sessions', [
        {title: 'started', value: x => when(x.startedAt)}, {title: 'channel', value: x => x.channel}, {title: 'status', value: x => x.status},
        {title: 'minutes', num: 1, value: x => x.minutesBilled}, {title: 'charged', num: 1, value: x => rupees(x.amountCharged)},
        {title: 'refunded', num: 1, value: x => rupees(x.amountRefunded)}, {title: 'reason', value: x => x.endReason || ''},
        {title: '', value: x => {
            if (x.status !== 'ENDED') {
                return el('button', {id: 'end-' + x.id, onclick: () => act('End', () => api('POST', '/admin/sessions/' + x.id + '/end'), sessions)}, 'End');
            }
            const amount = el('input', {id: 'refund-amount-' + x.id, placeholder: 'paise (all if empty)', size: 12});
            const reason = el('input', {id: 'refund-reason-' + x.id, placeholder: 'reason'});
            return el('div', {class: 'actions'}, amount, reason, el('button', {id: 'refund-' + x.id, onclick: () => act('Refund',
                () => api('POST', '/admin/sessions/' + x.id + '/refund', {amount: number(amount), reason: reason.value},
                    {'Idempotency-Key': crypto.randomUUID()}), sessions)}, 'Refund'));
        }}], r.body.items));
}

async function payouts() {
    const status = hashParams().get('status') || 'REQUESTED';
    const holder = el('div');
    page('Payouts', el('form', {}, el('label', {}, 'Status ', select('payout-status',
        ['REQUESTED', 'APPROVED', 'PROCESSING', 'PAID', 'FAILED', 'REVERSED', 'REJECTED'], status, e => { location.hash = '#payouts?status=' + e.target.value; }))), holder);
    const r = await api('GET', '/admin/payouts?size=50&status=' + status);
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('payouts', [
        {title: 'requested', value: x => when(x.createdAt)}, {title: 'expert', value: x => x.expertId},
        {title: 'amount', num: 1, value: x => rupees(x.amount)}, {title: 'status', value: x => x.status},
        {title: '', value: x => {
            if (x.status !== 'REQUESTED') return '';
            const reason = el('input', {id: 'payout-reason-' + x.id, placeholder: 'reason to reject'});
            return el('div', {class: 'actions'},
                el('button', {id: 'approve-' + x.id, onclick: () => act('Approve', () => api('POST', '/admin/payouts/' + x.id + '/approve'), payouts)}, 'Approve'),
                reason, el('button', {id: 'reject-payout-' + x.id, onclick: () => act('Reject',
                    () => api('POST', '/admin/payouts/' + x.id + '/reject', {reason: reason.value}), payouts)}, 'Reject'));
        }}], r.body.items));
}

async function orders() {
    const params = hashParams();
    const status = params.get('status') || '';
    const holder = el('div');
    page('Orders', el('form', {}, el('label', {}, 'Status ', select('order-status',
        ['', 'NEW', 'ASSIGNED', 'IN_PROGRESS', 'DELIVERED', 'COMPLETED', 'CANCELLED'], status, e => { location.hash = '#orders?status=' + e.target.value; })),
        el('a', {href: '#orders?overdue=true'}, 'overdue only')), holder);
    const r = await api('GET', '/orders?size=50' + (status ? '&status=' + status : '') + (params.get('overdue') ? '&overdue=true' : ''));
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('orders', [
        {title: 'placed', value: x => when(x.createdAt)}, {title: 'service', value: x => x.serviceName}, {title: 'status', value: x => x.status},
        {title: 'amount', num: 1, value: x => rupees(x.amount)}, {title: 'due', value: x => when(x.expectedDeliveryAt) + (x.overdue ? ' (overdue)' : '')},
        {title: 'expert', value: x => x.expertId || ''},
        {title: 'refunded', num: 1, value: x => x.refunded ? rupees(x.refunded) : ''},
        {title: '', value: x => {
            if (x.status === 'COMPLETED' || x.status === 'CANCELLED') return '';
            const expert = el('input', {id: 'assign-expert-' + x.id, placeholder: 'expert id', size: 36});
            const amount = el('input', {id: 'order-refund-' + x.id, placeholder: 'refund paise (all if empty)', size: 14});
            const reason = el('input', {id: 'order-reason-' + x.id, placeholder: 'reason'});
            return el('div', {class: 'actions'},
                x.status === 'NEW' || x.status === 'ASSIGNED' ? [expert, el('button', {id: 'assign-' + x.id, onclick: () => act('Assign',
                    () => api('PUT', '/admin/orders/' + x.id + '/assignment', {expertId: expert.value}), orders)}, 'Assign')] : null,
                amount, reason, el('button', {id: 'cancel-order-' + x.id, onclick: () => act('Cancel and refund',
                    () => api('POST', '/orders/' + x.id + '/cancel', {reason: reason.value, amount: number(amount)}), orders)},
                    'Cancel and refund'));
        }}], r.body.items));
}

const BOOKING_STATUSES = ['', 'PENDING', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'COMPLETED', 'NO_SHOW_EXPERT', 'NO_SHOW_USER'];

async function bookings() {
    const status = hashParams().get('status') || '';
    const holder = el('div');
    page('Bookings', el('form', {}, el('label', {}, 'Status ', select('booking-status', BOOKING_STATUSES, status,
        e => { location.hash = '#bookings?status=' + e.target.value; }))), holder);
    const r = await api('GET', '/admin/bookings?size=50' + (status ? '&status=' + status : ''));
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('bookings', [
        {title: 'starts', value: x => when(x.startsAt)}, {title: 'minutes', num: 1, value: x => x.minutes}, {title: 'channel', value: x => x.channel},
        {title: 'status', value: x => x.status + (x.cancelledBy ? ' by ' + x.cancelledBy : '')}, {title: 'user', value: x => x.userId},
        {title: 'expert', value: x => x.expertId}, {title: 'held', num: 1, value: x => rupees(x.holdAmount)},
        {title: 'released', num: 1, value: x => rupees(x.released)}, {title: 'charged', num: 1, value: x => rupees(x.charged)},
        {title: 'reason', value: x => x.reason || ''},
        {title: '', value: x => {
            if (x.status !== 'PENDING' && x.status !== 'ACCEPTED') return '';
            const reason = el('input', {id: 'booking-reason-' + x.id, placeholder: 'reason'});
            return el('div', {class: 'actions'}, reason, el('button', {id: 'cancel-booking-' + x.id, onclick: () => act('Cancel (the whole hold back)',
                () => api('POST', '/bookings/' + x.id + '/cancel', {reason: reason.value || undefined}), bookings)}, 'Cancel'));
        }}], r.body.items));
}

async function support() {
    const params = hashParams();
    const status = params.get('status') || '';
    const holder = el('div');
    page('Support desk', el('form', {}, el('label', {}, 'Status ', select('ticket-status', ['', 'OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'], status,
            e => { location.hash = '#support?status=' + e.target.value; })),
        el('a', {href: '#support?breached=true'}, 'breached only')), holder);
    const q = new URLSearchParams({size: '50'});
    if (status) q.set('status', status);
    if (params.get('breached')) q.set('breached', 'true');
    const r = await api('GET', '/support/tickets?' + q);
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('tickets', [
        {title: '#', value: x => el('a', {href: '#ticket?id=' + x.id, id: 'ticket-' + x.id}, String(x.number))},
        {title: 'subject', value: x => x.subject}, {title: 'status', value: x => x.status}, {title: 'priority', value: x => x.priority},
        {title: 'category', value: x => x.category}, {title: 'assignee', value: x => x.assigneeId || ''},
        {title: 'breached', value: x => [x.breached.firstResponse ? 'first response' : '', x.breached.resolution ? 'resolution' : ''].filter(Boolean).join(', ')},
        {title: 'opened', value: x => when(x.createdAt)}], r.body.items));
}

/** One ticket: its messages (staff notes marked), a reply or a staff note, taking it, moving it, its priority. */
async function ticket() {
    const at = location.hash;
    const id = hashParams().get('id');
    const t = await api('GET', '/support/tickets/' + id);
    if (t.status !== 200) return say(problemText(t), true);
    const m = await api('GET', '/support/tickets/' + id + '/messages');
    if (m.status !== 200) return say(problemText(m), true);
    if (location.hash !== at) return; // another page was opened meanwhile: neither draw over it nor open a socket for it
    const x = t.body;
    const body = el('textarea', {id: 'reply-body', rows: 4, cols: 70});
    const internal = el('input', {id: 'reply-internal', type: 'checkbox'});
    const status = select('ticket-move', ['IN_PROGRESS', 'RESOLVED', 'CLOSED'], x.status === 'OPEN' ? 'IN_PROGRESS' : 'RESOLVED');
    const priority = select('ticket-priority', ['LOW', 'NORMAL', 'HIGH', 'URGENT'], x.priority);
    const item = (msg) => el('li', {class: msg.internal ? 'internal' : null, 'data-seq': msg.seq},
        el('div', {class: 'meta'}, when(msg.sentAt) + ' · ' + msg.senderRole + (msg.internal ? ' · staff note' : '')),
        el('div', {class: 'text'}, msg.body));
    const shown = new Set(m.body.items.map(msg => msg.seq));
    const messages = el('ol', {id: 'ticket-messages', class: 'messages'}, m.body.items.map(item));
    const typing = el('p', {id: 'ticket-typing', class: 'meta'});
    const liveState = el('p', {id: 'ticket-live', class: 'meta'});
    let typingShown = null;
    // new lines and typing arrive over /ws/support while the page is open (admins hear every ticket); the page stands
    // without it (reload for new lines) when the socket is refused or drops
    openSocket('/ws/support', (frame) => {
        if (frame.ticketId !== id) return;
        if (frame.type === 'support-message' && !shown.has(frame.seq)) {
            shown.add(frame.seq);
            messages.append(item(frame));
            typing.textContent = '';
        } else if (frame.type === 'typing') {
            typing.textContent = (frame.fromId === x.requesterId ? 'The requester' : frame.fromId) + ' is typing…';
            clearTimeout(typingShown);
            typingShown = setTimeout(() => { typing.textContent = ''; }, 4000);
        }
    }, (open) => { liveState.textContent = open ? 'Live: new messages appear as they are sent.' : 'Not live: reload the page for new messages.'; });
    let typed = 0;
    body.addEventListener('input', () => {
        if (socket && socket.readyState === WebSocket.OPEN && Date.now() - typed > 2000) {
            typed = Date.now();
            socket.send(JSON.stringify({type: 'typing', ticketId: id}));
        }
    });
    page('Ticket #' + x.number,
        el('dl', {class: 'facts'},
            el('dt', {}, 'subject'), el('dd', {id: 'ticket-subject'}, x.subject), el('dt', {}, 'status'), el('dd', {id: 'ticket-status-now'}, x.status),
            el('dt', {}, 'requester'), el('dd', {}, x.requesterId), el('dt', {}, 'assignee'), el('dd', {id: 'ticket-assignee'}, x.assigneeId || 'nobody'),
            el('dt', {}, 'category / priority'), el('dd', {}, x.category + ' / ' + x.priority),
            el('dt', {}, 'due'), el('dd', {}, 'first response ' + when(x.firstResponseDueAt) + ', resolution ' + when(x.resolutionDueAt)),
            el('dt', {}, 'description'), el('dd', {class: 'text'}, x.description)),
        messages, typing, liveState,
        el('form', {onsubmit: e => { e.preventDefault();
                act(internal.checked ? 'Staff note' : 'Reply', () => api('POST', '/support/tickets/' + id + '/messages', {body: body.value, internal: internal.checked}),
                    // live, the line comes back over the socket like anyone's (drawing the page again would race it); else reload
                    () => { body.value = ''; internal.checked = false; return socket && socket.readyState === WebSocket.OPEN ? null : ticket(); }); }},
            el('label', {}, 'Message ', body), el('label', {}, 'Staff note only ', internal), el('button', {type: 'submit', id: 'send-reply'}, 'Send')),
        el('div', {class: 'actions'},
            el('button', {id: 'take-ticket', onclick: async () => { const me = await api('GET', '/auth/me');
                act('Take', () => api('PATCH', '/support/tickets/' + id, {assigneeId: me.body.id}), ticket); }}, 'Assign to me'),
            status, el('button', {id: 'move-ticket', onclick: () => act('Move to ' + status.value,
                () => api('PATCH', '/support/tickets/' + id, {status: status.value}), ticket)}, 'Move'),
            priority, el('button', {id: 'set-priority', onclick: () => act('Priority',
                () => api('PATCH', '/support/tickets/' + id, {priority: priority.value}), ticket)}, 'Set priority')));
}

/** The queue by how many people reported a target: review, act on the reported account (the report then ACTION_TAKEN), or dismiss. */
async function moderation() {
    const status = hashParams().get('status') || 'OPEN';
    const holder = el('div');
    page('Moderation queue', el('form', {}, el('label', {}, 'Status ', select('report-status', ['OPEN', 'UNDER_REVIEW', 'ACTION_TAKEN', 'DISMISSED'], status,
        e => { location.hash = '#moderation?status=' + e.target.value; }))), holder);
    const r = await api('GET', '/admin/reports?size=50&status=' + status);
    if (r.status !== 200) return say(problemText(r), true);
    const review = async (x) => x.status === 'OPEN' ? api('PATCH', '/admin/reports/' + x.id, {status: 'UNDER_REVIEW'}) : {status: 200};
    holder.replaceChildren(table('reports', [
        {title: 'reported', value: x => when(x.createdAt)}, {title: 'reporters', num: 1, value: x => x.reportCount},
        {title: 'target', value: x => x.targetType + ' ' + x.targetId}, {title: 'about', value: x => x.subjectId},
        {title: 'category', value: x => x.category || ''}, {title: 'reason', value: x => x.reason},
        {title: 'outcome', value: x => x.resolution || ''},
        {title: '', value: x => {
            if (x.status !== 'OPEN' && x.status !== 'UNDER_REVIEW') return '';
            const actions = x.targetType === 'MESSAGE' ? ['HIDE_MESSAGE', 'WARN', 'SUSPEND'] : ['WARN', 'SUSPEND'];
            const action = select('report-action-' + x.id, actions, actions[0]);
            const reason = el('input', {id: 'report-reason-' + x.id, placeholder: 'reason'});
            const hours = el('input', {id: 'report-hours-' + x.id, placeholder: 'hours (suspend)', size: 8});
            return el('div', {class: 'actions'},
                x.status === 'OPEN' ? el('button', {id: 'review-' + x.id, onclick: () => act('Under review', () => review(x), moderation)}, 'Review') : null,
                action, reason, hours,
                el('button', {id: 'act-' + x.id, onclick: () => act(action.value, async () => {
                    const reviewed = await review(x);
                    if (reviewed.status !== 200) return reviewed;
                    const done = await api('POST', '/admin/moderation/actions', {accountId: x.subjectId, action: action.value, reason: reason.value,
                        durationHours: number(hours), reportId: x.id,
                        messageRef: x.targetType === 'MESSAGE' ? x.targetId : undefined});
                    if (done.status !== 201) return done;
                    return api('PATCH', '/admin/reports/' + x.id, {status: 'ACTION_TAKEN', resolution: reason.value || action.value});
                }, moderation)}, 'Act'),
                el('button', {id: 'dismiss-' + x.id, onclick: () => act('Dismiss', async () => {
                    const reviewed = await review(x);
                    return reviewed.status !== 200 ? reviewed : api('PATCH', '/admin/reports/' + x.id, {status: 'DISMISSED', resolution: reason.value || undefined});
                }, moderation)}, 'Dismiss'));
        }}], r.body.items));
}

/** Coupons: the list with their uses, switching one on or off, and a new coupon (the API checks the terms). */
async function promotions() {
    const f = {
        code: el('input', {id: 'coupon-code', size: 12, placeholder: 'DIWALI20'}),
        kind: select('coupon-kind', ['PERCENT', 'FLAT'], 'PERCENT'),
        value: el('input', {id: 'coupon-value', size: 8, placeholder: '% or paise'}),
        maxDiscount: el('input', {id: 'coupon-max', size: 10, placeholder: 'paise'}),
        minAmount: el('input', {id: 'coupon-min', size: 10, placeholder: 'paise'}),
        validFrom: el('input', {id: 'coupon-from', type: 'datetime-local'}),
        validTo: el('input', {id: 'coupon-to', type: 'datetime-local'}),
        totalLimit: el('input', {id: 'coupon-total', size: 6}),
        perUserLimit: el('input', {id: 'coupon-per-user', size: 4, value: '1'}),
        appliesTo: select('coupon-applies', ['ORDERS', 'DEPOSITS'], 'ORDERS'),
    };
    const create = el('form', {id: 'coupon-form', onsubmit: (e) => {
        e.preventDefault();
        act('New coupon ' + f.code.value, () => api('POST', '/admin/coupons', {code: f.code.value, kind: f.kind.value, value: number(f.value),
            maxDiscount: number(f.maxDiscount), minAmount: number(f.minAmount), validFrom: instant(f.validFrom), validTo: instant(f.validTo),
            totalLimit: number(f.totalLimit), perUserLimit: number(f.perUserLimit), appliesTo: f.appliesTo.value}), promotions);
    }},
        el('label', {}, 'Code', f.code), el('label', {}, 'Kind', f.kind), el('label', {}, 'Value', f.value),
        el('label', {}, 'Cap (percent)', f.maxDiscount), el('label', {}, 'Minimum amount', f.minAmount),
        el('label', {}, 'Valid from', f.validFrom), el('label', {}, 'Valid to', f.validTo),
        el('label', {}, 'Total uses', f.totalLimit), el('label', {}, 'Per user', f.perUserLimit), el('label', {}, 'Applies to', f.appliesTo),
        el('button', {id: 'coupon-create', type: 'submit'}, 'Create coupon'));
    const holder = el('div');
    page('Promotions', el('h3', {}, 'Coupons'), holder, el('h3', {}, 'New coupon'), create);
    const r = await api('GET', '/admin/coupons?size=100');
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('coupons', [
        {title: 'code', value: x => x.code}, {title: 'applies to', value: x => x.appliesTo},
        {title: 'discount', value: x => x.kind === 'PERCENT' ? x.value + '%' + (x.maxDiscount ? ' up to ' + rupees(x.maxDiscount) : '') : rupees(x.value)},
        {title: 'minimum', num: 1, value: x => x.minAmount ? rupees(x.minAmount) : ''},
        {title: 'valid', value: x => when(x.validFrom) + ' – ' + when(x.validTo)},
        {title: 'used', num: 1, value: x => x.uses + (x.totalLimit ? ' of ' + x.totalLimit : '')}, {title: 'per user', num: 1, value: x => x.perUserLimit},
        {title: 'active', value: x => x.active ? 'yes' : 'no'},
        {title: '', value: x => el('button', {id: 'coupon-toggle-' + x.id, onclick: () => act((x.active ? 'Switch off ' : 'Switch on ') + x.code,
            () => api('PATCH', '/admin/coupons/' + x.id, {active: !x.active}), promotions)}, x.active ? 'Switch off' : 'Switch on')}],
        r.body.items));
}

/** One row of the form editor: a field the service's order form asks for. */
function formFieldRow(field = {}) {
    const row = el('div', {class: 'actions form-field'},
        el('input', {class: 'field-name', placeholder: 'name', size: 12, value: field.name || ''}),
        el('input', {class: 'field-label', placeholder: 'label', size: 18, value: field.label || ''}),
        select(null, ['TEXT', 'NUMBER', 'DATE', 'TIME', 'PLACE', 'CHOICE'], field.type || 'TEXT'),
        el('label', {}, el('input', {class: 'field-required', type: 'checkbox', checked: field.required !== false}), 'required'),
        el('input', {class: 'field-options', placeholder: 'choices, comma separated', size: 22, value: (field.options || []).join(', ')}));
    row.append(el('button', {type: 'button', onclick: () => row.remove()}, 'Remove'));
    return row;
}

function formSchemaOf(editor) {
    return {fields: [...editor.querySelectorAll('.form-field')].map(row => {
        const options = row.querySelector('.field-options').value.split(',').map(o => o.trim()).filter(o => o);
        return {name: row.querySelector('.field-name').value.trim(), label: row.querySelector('.field-label').value.trim(),
            type: row.querySelector('select').value, required: row.querySelector('.field-required').checked,
            options: options.length ? options : undefined};
    })};
}

/** The catalog: every service (inactive ones too), price, delivery days and availability edited in place, a new service with its form. */
async function catalog() {
    const f = {
        category: el('input', {id: 'service-category', size: 12, placeholder: 'astrology'}),
        name: el('input', {id: 'service-name', size: 24}),
        description: el('textarea', {id: 'service-description', rows: 2, cols: 40}),
        price: el('input', {id: 'service-price', size: 10, placeholder: 'paise'}),
        deliveryDays: el('input', {id: 'service-days', size: 4, value: '3'}),
    };
    const editor = el('div', {id: 'service-fields'}, formFieldRow({name: 'birthDate', label: 'Date of birth', type: 'DATE'}));
    const create = el('form', {id: 'service-form', onsubmit: (e) => {
        e.preventDefault();
        act('New service ' + f.name.value, () => api('POST', '/admin/catalog/services', {category: f.category.value, name: f.name.value,
            description: f.description.value, price: number(f.price), deliveryDays: number(f.deliveryDays), formSchema: formSchemaOf(editor),
            active: true}), () => go('#catalog?category=' + encodeURIComponent(f.category.value.trim())));
    }},
        el('label', {}, 'Category', f.category), el('label', {}, 'Name', f.name), el('label', {}, 'Description', f.description),
        el('label', {}, 'Price', f.price), el('label', {}, 'Delivery days', f.deliveryDays),
        el('div', {}, el('div', {}, 'The order form asks for:'), editor,
            el('button', {id: 'service-add-field', type: 'button', onclick: () => editor.append(formFieldRow())}, 'Add a field')),
        el('button', {id: 'service-create', type: 'submit'}, 'Create service'));
    const category = hashParams().get('category') || '';
    const filter = el('input', {id: 'catalog-category', size: 14, value: category});
    const holder = el('div');
    page('Catalog', el('form', {onsubmit: (e) => { e.preventDefault(); location.hash = '#catalog?category=' + encodeURIComponent(filter.value.trim()); }},
        el('label', {}, 'Category (all if empty)', filter), el('button', {id: 'catalog-show', type: 'submit'}, 'Show')),
        holder, el('h3', {}, 'New service'), create);
    const r = await api('GET', '/catalog/services?size=100' + (category ? '&category=' + encodeURIComponent(category) : ''));
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(el('p', {id: 'services-shown'}, r.body.items.length + ' of ' + r.body.total + ' services'
        + (r.body.total > r.body.items.length ? ': choose a category to see the others' : '')), table('services', [
        {title: 'category', value: x => x.category}, {title: 'name', value: x => x.name},
        {title: 'form', value: x => x.formSchema.fields.map(d => d.label + (d.required ? '' : ' (optional)')).join(', ')},
        {title: 'active', value: x => x.active ? 'yes' : 'no'},
        {title: 'price, days', value: x => {
            const price = el('input', {id: 'service-price-' + x.id, size: 10, value: x.price});
            const days = el('input', {id: 'service-days-' + x.id, size: 4, value: x.deliveryDays});
            const save = (active) => act('Save ' + x.name, () => api('PUT', '/admin/catalog/services/' + x.id, {category: x.category, name: x.name,
                description: x.description, price: number(price), deliveryDays: number(days), formSchema: x.formSchema, active}), catalog);
            return el('div', {class: 'actions'}, price, rupees(x.price), days,
                el('button', {id: 'service-save-' + x.id, onclick: () => save(x.active)}, 'Save'),
                el('button', {id: 'service-toggle-' + x.id, onclick: () => save(!x.active)}, x.active ? 'Withdraw' : 'Offer again'));
        }}], r.body.items));
}

/** The outbox (failed sends first: what needs attention) and broadcasts to an audience on the channels each recipient allows. */
async function notifications() {
    const params = hashParams();
    const status = params.get('status') || 'FAILED';
    const channel = params.get('channel') || '';
    const go = (s, c) => { location.hash = '#notifications?status=' + s + '&channel=' + c; };
    const holder = el('div');
    const templates = await api('GET', '/admin/notification-templates');
    if (templates.status !== 200) return say(problemText(templates), true);
    const keys = [...new Set(['announcement', ...templates.body.items.map(t => t.event)])];
    const audience = select('broadcast-audience', ['ALL', 'USERS', 'EXPERTS'], 'USERS');
    const template = select('broadcast-template', keys, 'announcement');
    const title = el('input', {id: 'broadcast-title', placeholder: 'title', size: 30});
    const body = el('textarea', {id: 'broadcast-body', rows: 2, cols: 50, placeholder: 'body'});
    const channels = ['IN_APP', 'EMAIL', 'SMS', 'WHATSAPP'].map(c => el('input', {type: 'checkbox', id: 'broadcast-' + c, value: c, checked: c === 'IN_APP'}));
    const marketing = el('input', {type: 'checkbox', id: 'broadcast-marketing'});
    page('Notifications',
        el('h3', {}, 'Broadcast'),
        el('form', {onsubmit: e => { e.preventDefault();
                act('Broadcast', () => api('POST', '/admin/broadcasts', {audience: audience.value, templateKey: template.value,
                    channels: channels.filter(c => c.checked).map(c => c.value), variables: {title: title.value, body: body.value},
                    marketing: marketing.checked}),
                r => { $('broadcast-started').replaceChildren('Started: ', el('a', {href: '#batch', id: 'broadcast-execution'},
                    'execution ' + r.body.executionId)); }); }},
            el('label', {}, 'Audience ', audience), el('label', {}, 'Template ', template), el('label', {}, 'Title ', title),
            el('label', {}, 'Body ', body), channels.map(c => el('label', {}, c.value, c)), el('label', {}, 'Marketing (consent only)', marketing),
            el('button', {type: 'submit', id: 'start-broadcast'}, 'Send')),
        el('p', {id: 'broadcast-started'}),
        el('h3', {}, 'Outbox'),
        el('form', {}, el('label', {}, 'Status ', select('outbox-status', ['FAILED', 'PENDING', 'SENT'], status, e => go(e.target.value, channel))),
            el('label', {}, 'Channel ', select('outbox-channel', ['', 'IN_APP', 'EMAIL', 'SMS', 'WHATSAPP'], channel, e => go(status, e.target.value)))),
        holder);
    const r = await api('GET', '/admin/notifications?size=100&status=' + status + (channel ? '&channel=' + channel : ''));
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('outbox', [
        {title: 'created', value: x => when(x.createdAt)}, {title: 'channel', value: x => x.channel}, {title: 'event', value: x => x.kind},
        {title: 'title', value: x => x.title}, {title: 'account', value: x => x.accountId}, {title: 'attempts', num: 1, value: x => x.attempts},
        {title: 'error', value: x => x.lastError || x.deliveryError || ''}, {title: 'delivery', value: x => x.deliveryStatus || ''},
        {title: 'next try', value: x => when(x.nextAttemptAt)}], r.body.items));
}

async function batch() {
    const jobs = await api('GET', '/admin/batch/jobs');
    const executions = await api('GET', '/admin/batch/executions');
    if (jobs.status !== 200 || executions.status !== 200) return say(problemText(jobs.status !== 200 ? jobs : executions), true);
    const job = el('select', {id: 'job'}, jobs.body.items.map(j => el('option', {value: j.name}, j.name)));
    const params = el('input', {id: 'job-parameters', placeholder: 'parameters as JSON, e.g. {"businessDate":"2026-12-01"}', size: 50});
    page('Batch jobs',
        table('jobs', [{title: 'job', value: x => x.name}, {title: 'schedule', value: x => x.schedule}, {title: 'what it does', value: x => x.description}],
            jobs.body.items),
        el('form', {onsubmit: e => { e.preventDefault(); let p; try { p = params.value ? JSON.parse(params.value) : {}; } catch (x) { return say('parameters are not JSON', true); }
            act('Start ' + job.value, () => api('POST', '/admin/batch/jobs/' + job.value + '/executions', {parameters: p}), batch); }},
            el('label', {}, 'Job ', job), el('label', {}, 'Parameters ', params), el('button', {type: 'submit', id: 'start-job'}, 'Start')),
        table('executions', [
            {title: 'id', value: x => x.id}, {title: 'job', value: x => x.jobName}, {title: 'status', value: x => x.status},
            {title: 'started', value: x => when(x.startTime)}, {title: 'exit', value: x => x.exitStatus || ''},
            {title: 'progress', value: x => x.progress ? x.progress.percent + ' %' : ''},
            {title: '', value: x => el('div', {class: 'actions'},
                x.status === 'STARTED' || x.status === 'STARTING' ? el('button', {id: 'stop-' + x.id, onclick: () => act('Stop',
                    () => api('POST', '/admin/batch/executions/' + x.id + '/stop'), batch)}, 'Stop') : null,
                x.status === 'STOPPED' || x.status === 'FAILED' ? el('button', {id: 'restart-' + x.id, onclick: () => act('Restart',
                    () => api('POST', '/admin/batch/executions/' + x.id + '/restart'), batch)}, 'Restart') : null)}], executions.body.items));
}

async function settings() {
    const r = await api('GET', '/admin/config');
    if (r.status !== 200) return say(problemText(r), true);
    const inputs = Object.entries(r.body).map(([k, v]) => el('label', {}, k, el('input', {id: 'setting-' + k, name: k, value: v, size: 10})));
    const errors = el('ul', {id: 'settings-errors', class: 'errors'});
    page('Settings', el('form', {id: 'settings-form', onsubmit: async e => {
        e.preventDefault();
        const changes = {};
        for (const [k, v] of Object.entries(r.body)) {
            const now = $('setting-' + k).value.trim();
            if (now !== String(v)) changes[k] = /^-?[0-9]+$/.test(now) ? Number(now) : now;
        }
        errors.replaceChildren();
        const saved = await api('PATCH', '/admin/config', changes);
        if (saved.status === 200) { say('Settings saved'); return settings(); }
        say('Settings not saved: ' + ((saved.body || {}).detail || saved.status), true);
        errors.replaceChildren(...((saved.body || {}).errors || []).map(x => el('li', {}, x.field + ': ' + x.message)));
    }}, inputs, el('button', {type: 'submit', id: 'save-settings'}, 'Save')), errors);
}

async function audit() {
    const params = hashParams();
    const action = el('input', {id: 'audit-action', value: params.get('action') || '', placeholder: 'action'});
    const entity = el('input', {id: 'audit-entity', value: params.get('entityId') || '', placeholder: 'entity id'});
    const verdict = el('p', {id: 'audit-verdict'});
    const holder = el('div');
    page('Audit trail', el('form', {onsubmit: e => { e.preventDefault();
            location.hash = '#audit?action=' + encodeURIComponent(action.value) + '&entityId=' + encodeURIComponent(entity.value); }},
        el('label', {}, 'Action ', action), el('label', {}, 'Entity ', entity), el('button', {type: 'submit'}, 'Filter'),
        el('button', {type: 'button', id: 'audit-verify', onclick: async () => {
            const v = await api('GET', '/admin/audit/verify');
            verdict.textContent = v.status !== 200 ? problemText(v) : v.body.intact ? 'The chain is intact (' + v.body.entries + ' entries).'
                : 'The chain is broken at entry ' + v.body.firstBrokenSeq + '.';
        }}, 'Verify the chain')), verdict, holder);
    const q = new URLSearchParams({size: '50'});
    if (params.get('action')) q.set('action', params.get('action'));
    if (params.get('entityId')) q.set('entityId', params.get('entityId'));
    const r = await api('GET', '/admin/audit?' + q);
    if (r.status !== 200) return say(problemText(r), true);
    holder.replaceChildren(table('audit', [
        {title: 'when', value: x => when(x.createdAt || x.at)}, {title: 'action', value: x => x.action}, {title: 'actor', value: x => x.actorId || 'platform'},
        {title: 'entity', value: x => (x.entityType || '') + ' ' + (x.entityId || '')}, {title: 'details', value: x => JSON.stringify(x.metadata || {})}],
        r.body.items));
}

const PAGES = {dashboard, experts, accounts, sessions, payouts, orders, catalog, promotions, bookings, support, ticket, moderation, notifications,
    batch, settings, audit};

async function route() {
    clearInterval(refresher);
    refresher = null;
    closeSocket();
    const signedIn = !!sessionStorage.getItem(TOKEN);
    $('sign-in').hidden = signedIn;
    $('nav').hidden = !signedIn;
    $('page').hidden = !signedIn;
    if (!signedIn) {
        $('totp-label').hidden = true;
        return;
    }
    const name = (location.hash.substring(1).split('?')[0]) || 'dashboard';
    const section = name === 'ticket' ? 'support' : name;
    for (const a of document.querySelectorAll('nav a')) a.classList.toggle('current', a.getAttribute('href') === '#' + section);
    say('');
    try {
        await (PAGES[name] || dashboard)();
    } catch (e) {
        say('Something went wrong: ' + e.message, true);
    }
}

$('sign-in-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
route();
