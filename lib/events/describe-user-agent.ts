import 'server-only';

/*
 * A plain description of a stored User-Agent ("Chrome on Windows", "Safari on iPhone") for people,
 * not for decisions: a User-Agent is whatever the client sent. Unrecognised clients read
 * "Unknown browser"; the raw string is never shown. Each pattern is a literal token, so a long or
 * hostile string costs linear time.
 */

interface Rule {
  name: string;
  pattern: RegExp;
}

/** First match wins: Chromium-based browsers also say "Chrome/" and "Safari/", so they come first. */
const BROWSER_RULES: readonly Rule[] = [
  { name: 'Edge', pattern: /\b(?:Edg|EdgA|EdgiOS|Edge)\// },
  { name: 'Opera', pattern: /\b(?:OPR|OPT|Opera)\b/ },
  { name: 'Samsung Internet', pattern: /\bSamsungBrowser\// },
  { name: 'Firefox', pattern: /\b(?:Firefox|FxiOS)\// },
  { name: 'Internet Explorer', pattern: /\b(?:Trident\/|MSIE )/ },
  { name: 'Chromium', pattern: /\bChromium\// },
  { name: 'Chrome', pattern: /\b(?:Chrome|CriOS|HeadlessChrome)\// },
  { name: 'Safari', pattern: /\bVersion\/[\d.]+.*\bSafari\// },
];

/** First match wins: iOS says "like Mac OS X", Android and ChromeOS say "Linux". */
const SYSTEM_RULES: readonly Rule[] = [
  { name: 'iPhone', pattern: /\biPhone\b/ },
  { name: 'iPad', pattern: /\biPad\b/ },
  { name: 'iPod touch', pattern: /\biPod\b/ },
  { name: 'Android', pattern: /\bAndroid\b/ },
  { name: 'Windows', pattern: /\bWindows\b/ },
  { name: 'ChromeOS', pattern: /\bCrOS\b/ },
  { name: 'macOS', pattern: /\b(?:Macintosh|Mac OS X)\b/ },
  { name: 'Linux', pattern: /\b(?:Linux|X11)\b/ },
];

const firstMatch = (rules: readonly Rule[], text: string) => rules.find((rule) => rule.pattern.test(text))?.name;

export function describeUserAgent(userAgent: string | null | undefined): string {
  const text = (userAgent ?? '').slice(0, 512);
  const browser = firstMatch(BROWSER_RULES, text) ?? 'Unknown browser';
  const system = firstMatch(SYSTEM_RULES, text);
  return system ? `${browser} on ${system}` : browser;
}
