/**
 * The generated photos behind the fake core. Pure functions of a photo id, so the browser-side
 * fake and the test server (which draws the thumbnails) agree without sharing state.
 *
 * [Note: Colour semantics] Each photo is a landscape tinted by one hue; the fake "model" embeds
 * a photo as that hue and a query word as the hue it names ("red", "sea", "forest", …), so a
 * search for "red" ranks red photos first, like the synthetic ONNX model of the core tests.
 */

export const wordHues: Readonly<Record<string, number>> = {
  red: 0,
  fire: 5,
  orange: 30,
  sunset: 28,
  autumn: 35,
  yellow: 55,
  sand: 50,
  beach: 48,
  green: 120,
  forest: 125,
  grass: 110,
  teal: 175,
  sea: 185,
  ocean: 190,
  blue: 220,
  sky: 210,
  purple: 275,
  lavender: 265,
  pink: 320,
  flowers: 330,
};

/** Spreads hues evenly whatever the number of photos (the golden angle). */
export function photoHue(photoId: number): number {
  return (photoId * 137.508) % 360;
}

/** A small deterministic offset so that scores never tie. */
export function scoreJitter(photoId: number): number {
  return (((photoId * 2654435761) % 1000) / 1000 - 0.5) * 0.02;
}

export function hueOfBytes(bytes: Uint8Array): number {
  let hash = 2166136261;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash % 360;
}

/** A landscape in the photo's hue: sky, sun and two ridges, as SVG. */
export function photoSvg(photoId: number, width: number, height: number): string {
  const hue = Math.round(photoHue(photoId));
  const sunX = 20 + ((photoId * 37) % 60);
  const ridge = 55 + ((photoId * 13) % 20);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="${width}" height="${height}" preserveAspectRatio="xMidYMid slice">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 78%)"/><stop offset="1" stop-color="hsl(${hue} 60% 52%)"/></linearGradient></defs>
<rect width="100" height="100" fill="url(#sky)"/>
<circle cx="${sunX}" cy="28" r="9" fill="hsl(${(hue + 40) % 360} 90% 88%)"/>
<path d="M0 ${ridge} L25 ${ridge - 18} L45 ${ridge - 4} L70 ${ridge - 24} L100 ${ridge - 6} V100 H0 Z" fill="hsl(${hue} 45% 36%)"/>
<path d="M0 ${ridge + 14} L30 ${ridge + 4} L60 ${ridge + 12} L100 ${ridge + 2} V100 H0 Z" fill="hsl(${hue} 40% 24%)"/>
</svg>`;
}

export const thumbnailPath = (photoId: number) => `/fake-media/thumb/${photoId}.svg`;
export const photoPath = (photoId: number) => `/fake-media/photo/${photoId}.svg`;

/** `/fake-media/thumb/12.svg` → the SVG for photo 12, or null for other paths. */
export function fakeMediaResponse(urlPath: string): string | null {
  const match = /^\/fake-media\/(thumb|photo)\/(\d+)\.svg$/.exec(urlPath);
  if (!match) return null;
  const photoId = Number(match[2]);
  return match[1] === 'thumb' ? photoSvg(photoId, 256, 256) : photoSvg(photoId, 1600, 1067);
}
