-- An expert who goes offline by REST (PUT /experts/me/presence {online: false}) is "away": its open sockets do not
-- bring it back online (a break without closing the app) until it goes online by REST again, or until all its sockets
-- have been gone for the disconnect timeout (the app was closed; the next connection starts afresh).
alter table expert_profile add column away boolean not null default false;
