/** Session cookies are `oms.session_token` (`__Secure-oms.session_token` over HTTPS). */
export const AUTH_COOKIE_PREFIX = "oms";
