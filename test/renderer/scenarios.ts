import type { EvalReport } from '../../src-main/shared/eval-report';
import type {
  ClusterNode,
  DuplicateGroup,
  Failure,
  LibraryFacets,
  ModelSummary,
  SearchHit,
  SimilarityMap,
} from '../../src-main/shared/types';

export interface FakeFolder {
  path: string;
  /** False: the folder's drive is not connected. */
  online?: boolean;
  /** Photos on disk; the first `indexed` of them are indexed. */
  files: number;
  indexed: number;
}

export interface Scenario {
  modelInstalled: boolean;
  /** The active model is an image-only one (no text search; [Note: Image-only models]). */
  imageOnlyModel?: boolean;
  /** A model switch in progress, as status reports it ([Note: Switching models]). */
  switching?: { searchModel: string; textSearch: boolean; embedded: number; total: number };
  folders: FakeFolder[];
  failures: Failure[];
  /**
   * [Note: Huge result sets] The contract caps a query at 1,000 hits, but the grid must stay fast
   * for a whole library (100,000 photos). This scenario's fake ignores the limit so the real grid
   * can be exercised at that size.
   */
  ignoreSearchLimit: boolean;
  /** What explore.duplicates answers (the fake computes no groups itself); none when absent. */
  duplicates?: DuplicateGroup[];
  /** What explore.clusters answers (the fake computes no clusters itself); none when absent. */
  clusters?: ClusterNode[];
  /** Installed models besides the registry's (a local folder added earlier). */
  extraModels?: ModelSummary[];
  /** What models.add answers for any folder (a model folder the test offers); refused when absent. */
  addableModel?: ModelSummary;
  /** What models.compare answers (the fake scores nothing itself). */
  comparison?: EvalReport;
  /** What library.facets answers (the filter bar's choices); an empty library's when absent. */
  facets?: LibraryFacets;
  /** What explore.map answers (the fake lays nothing out itself); an empty map when absent. */
  map?: SimilarityMap;
}

const pictures = '/home/ana/Pictures';
const lastWeek = Date.UTC(2025, 5, 12, 9, 30);

const libraryFailures: Failure[] = [
  {
    path: `${pictures}/Phone backup/IMG_2041.HEIC`,
    stage: 'decode',
    code: 'UNSUPPORTED_FORMAT',
    message: 'This HEIC file uses a compression the decoder does not support.',
    attempts: 1,
    lastTry: lastWeek,
  },
  {
    path: `${pictures}/Phone backup/corrupt-scan.jpg`,
    stage: 'decode',
    code: 'TRUNCATED',
    message: 'VipsJpeg: premature end of JPEG image',
    attempts: 2,
    lastTry: lastWeek,
  },
  {
    path: `${pictures}/Family/grandma-1962.tif`,
    stage: 'read',
    code: 'EACCES',
    message: 'Permission denied: the file cannot be opened.',
    attempts: 1,
    lastTry: lastWeek,
  },
];

const iceland = `${pictures}/Iceland 2023`;
const copy = (photoId: number, path: string, width: number, height: number, bytes: number) => ({
  photoId,
  path,
  width,
  height,
  bytes,
  takenAt: lastWeek,
  camera: 'FUJIFILM X-T4',
  hasGps: false,
  similarity: 1,
});

/** What explore.duplicates answers in the 'duplicates' scenario: one exact, two similar groups. */
const duplicateGroups: DuplicateGroup[] = [
  {
    kind: 'exact',
    photos: [
      copy(7, `${iceland}/IMG_1007.jpg`, 4000, 3000, 5_200_000),
      copy(7, `${pictures}/Phone backup/IMG_1007.jpg`, 4000, 3000, 5_200_000),
    ],
    suggested: 7,
    reason: 'identical files at 2 paths: keep any one',
  },
  {
    kind: 'similar',
    photos: [
      copy(12, `${iceland}/IMG_1012.jpg`, 6000, 4000, 9_800_000),
      { ...copy(13, `${iceland}/IMG_1012-edit.jpg`, 3000, 2000, 2_100_000), similarity: 0.96 },
      { ...copy(14, `${iceland}/IMG_1012-small.jpg`, 1200, 800, 310_000), similarity: 0.94 },
    ],
    suggested: 12,
    reason: 'largest resolution (6000×4000)',
  },
  {
    kind: 'similar',
    photos: [
      { ...copy(21, `${iceland}/IMG_1021.jpg`, 4000, 3000, 4_000_000), hasGps: true },
      { ...copy(22, `${iceland}/IMG_1021 (web).jpg`, 4000, 3000, 3_900_000), camera: null },
    ],
    suggested: 21,
    reason: 'most complete metadata (date, camera, GPS)',
  },
];

/** `count` photos of the fake library from `firstId` on, as explore.clusters lists them. */
function clusterPhotos(firstId: number, count: number, folder: string): SearchHit[] {
  return Array.from({ length: count }, (_, i) => ({
    photoId: firstId + i,
    score: 0.9 - i * 0.002,
    path: `${folder}/IMG_${String(firstId + i).padStart(4, '0')}.jpg`,
    folder,
    width: 4000,
    height: 3000,
    takenAt: lastWeek,
    camera: 'Acme Z1',
  }));
}

const family = `${pictures}/Family`;

/** Two levels as the core gives them: "beach" and "mountains" inside "travel". */
const libraryClusters: ClusterNode[] = [
  {
    name: 'travel',
    size: 140,
    photos: clusterPhotos(1, 140, iceland),
    children: [
      { name: 'beach', size: 80, photos: clusterPhotos(1, 80, iceland), children: [] },
      { name: 'mountains', size: 60, photos: clusterPhotos(81, 60, iceland), children: [] },
    ],
  },
  { name: 'dog', size: 70, photos: clusterPhotos(141, 70, family), children: [] },
  { name: 'birthday cake', size: 50, photos: clusterPhotos(211, 50, family), children: [] },
  { name: 'snow', size: 3, photos: clusterPhotos(261, 3, family), children: [] },
];

const mobileNet: ModelSummary = {
  id: 'mobilenetv2-imagenet',
  name: 'MobileNetV2 (ImageNet)',
  family: 'image-only',
  embeddingDim: 1280,
  textSearch: false,
  licence: { name: 'Apache-2.0', url: null, commercialUse: true, note: null },
  installed: true,
  active: false,
  source: 'local',
  bytes: null,
  libraryVectors: { photos: 260, bytes: 1_331_200 },
};

const categories = ['beach', 'dog', 'forest', 'mountain', 'city'];
/** Per-category scores as the core reports them: mAP@5, zero-shot accuracy when there is a text tower. */
const scored = (maps: number[], zeroShot: number[] | null) =>
  categories.map((category, position) => ({
    category,
    photos: 20,
    mapAtK: maps[position]!,
    zeroShotAccuracy: zeroShot ? zeroShot[position]! : null,
  }));

/** What models.compare answers in the 'models' scenario: CLIP and MobileNetV2 on five categories. */
const modelComparison: EvalReport = {
  folder: '/home/ana/Pictures/Labelled test set',
  k: 5,
  prompt: 'a photo of a {category}',
  categories,
  unmatchedCaptions: 0,
  models: [
    {
      modelId: 'clip-vit-b32-int8',
      modelName: 'CLIP ViT-B/32 (int8)',
      photos: 100,
      categories: scored([0.91, 0.88, 0.79, 0.84, 0.9], [0.95, 1, 0.85, 0.9, 0.95]),
      overall: { mapAtK: 0.864, zeroShotAccuracy: 0.93 },
      recall: null,
      index: { indexed: 100, unchanged: 0, failed: 0, seconds: 41.2 },
    },
    {
      modelId: 'mobilenetv2-imagenet',
      modelName: 'MobileNetV2 (ImageNet)',
      photos: 100,
      categories: scored([0.83, 0.9, 0.61, 0.7, 0.74], null),
      overall: { mapAtK: 0.756, zeroShotAccuracy: null },
      recall: null,
      index: { indexed: 100, unchanged: 0, failed: 0, seconds: 12.9 },
    },
  ],
};
/**
 * Clusters laid out as the core gives a map: each cluster a blob (a sunflower spiral of `radius`
 * around its centre, so neighbours are close), photo ids consecutive from `firstId`, labels at the
 * blobs' centres.
 */
function blobMap(
  blobs: readonly { name: string; size: number; x: number; y: number; radius: number }[],
  firstId = 1,
): SimilarityMap {
  const map: SimilarityMap = { photoIds: [], x: [], y: [], cluster: [], clusters: [] };
  let photoId = firstId;
  blobs.forEach(({ name, size, x, y, radius }, index) => {
    for (let i = 0; i < size; i++) {
      const r = radius * Math.sqrt(i / size);
      map.photoIds.push(photoId++);
      map.x.push(x + r * Math.cos(i * 2.4));
      map.y.push(y + r * Math.sin(i * 2.4));
      map.cluster.push(index);
    }
    map.clusters.push({ name, size, x, y });
  });
  return map;
}

/** The clusters scenario's photos (ids 1–263, in cluster order) on the map. */
const libraryMap = blobMap(
  libraryClusters.map(({ name, size }, i) => ({
    name,
    size,
    ...[
      { x: -0.55, y: -0.35 },
      { x: 0.5, y: -0.45 },
      { x: 0.35, y: 0.5 },
      { x: -0.5, y: 0.55 },
    ][i]!,
    radius: 0.025 * Math.sqrt(size),
  })),
);

/** 100,000 photos in 40 clusters of 2,500 on a grid: the map at library scale (bench/map-frames.bench.ts). */
function hugeMap(): SimilarityMap {
  return blobMap(
    Array.from({ length: 40 }, (_, i) => ({
      name: `cluster ${i + 1}`,
      size: 2500,
      x: -0.85 + (i % 8) * (1.7 / 7),
      y: -0.8 + Math.floor(i / 8) * 0.4,
      radius: 0.13,
    })),
  );
}

export const scenarios = {
  library: {
    modelInstalled: true,
    folders: [
      { path: `${pictures}/Iceland 2023`, files: 140, indexed: 140 },
      { path: `${pictures}/Family`, files: 121, indexed: 120 },
      { path: `${pictures}/Phone backup`, files: 102, indexed: 100 },
      { path: '/media/ana/Backup drive/Scans', files: 40, indexed: 40, online: false },
    ],
    failures: libraryFailures,
    ignoreSearchLimit: false,
    facets: {
      photos: 400,
      cameras: [
        { camera: 'FUJIFILM X-T4', count: 210 },
        { camera: 'Apple iPhone 12', count: 150 },
        { camera: 'NIKON D750', count: 40 },
      ],
      formats: [
        { format: 'jpeg', count: 330 },
        { format: 'heic', count: 60 },
        { format: 'png', count: 10 },
      ],
      orientations: [
        { orientation: 'landscape', count: 280 },
        { orientation: 'portrait', count: 110 },
        { orientation: 'square', count: 10 },
      ],
      withLocation: 190,
      dateSpan: { first: Date.UTC(2019, 3, 2), last: lastWeek },
    },
  },
  clusters: {
    modelInstalled: true,
    folders: [
      { path: iceland, files: 140, indexed: 140 },
      { path: family, files: 123, indexed: 123 },
    ],
    failures: [],
    ignoreSearchLimit: false,
    clusters: libraryClusters,
  },
  map: {
    modelInstalled: true,
    folders: [
      { path: iceland, files: 140, indexed: 140 },
      { path: family, files: 123, indexed: 123 },
    ],
    failures: [],
    ignoreSearchLimit: false,
    clusters: libraryClusters,
    map: libraryMap,
  },
  'image-only': {
    modelInstalled: true,
    imageOnlyModel: true,
    folders: [{ path: `${pictures}/Iceland 2023`, files: 140, indexed: 140 }],
    failures: [],
    ignoreSearchLimit: false,
  },
  'switching-model': {
    modelInstalled: true,
    imageOnlyModel: true,
    switching: {
      searchModel: 'CLIP ViT-B/32 (int8)',
      textSearch: true,
      embedded: 1200,
      total: 4000,
    },
    folders: [{ path: `${pictures}/Everything`, files: 4000, indexed: 4000 }],
    failures: [],
    ignoreSearchLimit: false,
  },
  duplicates: {
    modelInstalled: true,
    folders: [{ path: iceland, files: 140, indexed: 140 }],
    failures: [],
    ignoreSearchLimit: false,
    duplicates: duplicateGroups,
  },
  models: {
    modelInstalled: true,
    folders: [{ path: iceland, files: 140, indexed: 140 }],
    failures: [],
    ignoreSearchLimit: false,
    extraModels: [mobileNet],
    addableModel: {
      ...mobileNet,
      id: 'my-autoencoder',
      name: 'My autoencoder (512-d)',
      embeddingDim: 512,
      licence: null,
      libraryVectors: null,
    },
    comparison: modelComparison,
  },
  'first-run': { modelInstalled: false, folders: [], failures: [], ignoreSearchLimit: false },
  'no-folders': { modelInstalled: true, folders: [], failures: [], ignoreSearchLimit: false },
  huge: {
    modelInstalled: true,
    folders: [{ path: `${pictures}/Everything`, files: 100_000, indexed: 100_000 }],
    failures: [],
    ignoreSearchLimit: true,
  },
  'huge-map': {
    modelInstalled: true,
    folders: [{ path: `${pictures}/Everything`, files: 100_000, indexed: 100_000 }],
    failures: [],
    ignoreSearchLimit: false,
    // Made when asked: every other scenario's page load skips it.
    get map() {
      return hugeMap();
    },
  },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof scenarios;

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(scenarios, name);
}
