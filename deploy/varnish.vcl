vcl 4.1;
#
# Varnish 7 (Debian bookworm: 7.1, with `varnish-modules` for xkey) in front
# of newsportal's gunicorn. deploy/README.md says how to run it.
#
# * Reader pages for readers not signed in are cached as the site says
#   (Cache-Control: s-maxage, stale-while-revalidate, stale-if-error).
# * /admin/, anything but GET and HEAD, and any request carrying a session or
#   CSRF cookie go straight to the site: an editor's page is never stored,
#   nor served to anyone else. Other cookies (analytics) are dropped.
# * `PURGE /` with `xkey-purge: key1 key2 ...` from an address in `purgers`
#   drops every page named by any of those keys (the site's Surrogate-Key
#   header; articles/http_cache.py lists them). articles/purges.py sends it.
# * While the site is down (its /healthz probe fails) or answers 5xx to a
#   background refresh, pages are served stale for their stale-if-error.
# * X-Cache: HIT or MISS on every answer.

import std;
import xkey;

# gunicorn as `make run` starts it. The tests rewrite these two lines.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        # Answered before host validation and HTTPS (newsportal/health.py):
        # 200 while the database answers.
        .url = "/healthz";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        .initial = 3;
    }
}

# Who may purge: the site's own servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)" || req.url ~ "^/healthz") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(sessionid|csrftoken)=") {
        return (pass);
    }
    # No other cookie changes a reader page; with it, every reader would miss.
    unset req.http.Cookie;
    # Sent back by vcl_hit: a page too stale to serve while the site answers.
    if (req.http.X-Fetch-Fresh) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hit {
    # Past its stale-while-revalidate a page is fetched afresh while the site
    # answers; only while it does not is it served for all its stale-if-error.
    if (obj.ttl + std.duration(real=std.real(obj.http.X-Stale-While-Revalidate, 0)) < 0s
        && std.healthy(req.backend_hint) && req.restarts == 0) {
        set req.http.X-Fetch-Fresh = "1";
        return (restart);
    }
}

sub vcl_backend_fetch {
    unset bereq.http.X-Fetch-Fresh;
}

sub vcl_backend_response {
    # The keys xkey purges by: the site's own, or, for the feeds and
    # sitemaps (which name none), one for each kind.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    } elsif (bereq.url ~ "^/(source/[^/]+/)?feed/") {
        set beresp.http.xkey = "feeds";
    } elsif (bereq.url ~ "^/(news-)?sitemap") {
        set beresp.http.xkey = "sitemap";
    }
    # A background refresh that fails keeps the stale page (stale-if-error).
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Varnish's grace is stale-while-revalidate; kept for vcl_hit, it becomes
    # the page's stale-if-error, how long it may be served while the site fails.
    set beresp.http.X-Stale-While-Revalidate = beresp.grace;
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 0s);
    }
    # What does not say how long it may be kept (error pages, robots.txt) is
    # not kept: a story that is a 404 until its time comes is fetched afresh.
    if (!beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # The built-in rules follow: nothing private, no-cache or with Set-Cookie is stored.
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.X-Stale-While-Revalidate;
}
