import { useCallback, useMemo, useRef, useState } from 'react';
import type { LibraryStatus, PhotoSummary } from '../../src-main/shared/types';
import { errorMessage, useBridge } from './api';
import { EmptyState } from './components/EmptyState';
import { ErrorMessage } from './components/ErrorMessage';
import { Icon } from './components/Icon';
import { firstFocusable, SkipLink } from './components/SkipLink';
import { DropOverlay } from './features/drop/DropOverlay';
import { ExploreTabs, isExploreViewId } from './features/explore/ExploreTabs';
import { useDropSearch } from './features/drop/use-drop-search';
import { usePasteSearch } from './features/drop/use-paste-search';
import { useWindowDrop } from './features/drop/use-window-drop';
import { DuplicatesView } from './features/duplicates/DuplicatesView';
import { ClustersView } from './features/explore/ClustersView';
import { MapView } from './features/map/MapView';
import { PhotoContextMenu } from './features/grid/PhotoContextMenu';
import { useCellActions } from './features/grid/use-cell-actions';
import { FailuresPanel } from './features/failures/FailuresPanel';
import { FilterBar } from './features/filters/FilterBar';
import { useFilteredRequest, useFilters } from './features/filters/use-filters';
import { useFailures } from './features/failures/use-failures';
import { LibraryPanel } from './features/library/LibraryPanel';
import { useFolderActions } from './features/library/use-folder-actions';
import { useIndexing } from './features/library/use-indexing';
import { useLibraryStatus } from './features/library/use-library-status';
import { FirstRun } from './features/models/FirstRun';
import { useModelDownload } from './features/models/use-model-download';
import { ModelsDrawer } from './features/models/ModelsDrawer';
import { useModelActions } from './features/models/use-model-actions';
import { useModels } from './features/models/use-models';
import { NoticeBar } from './features/notices/NoticeBar';
import { useCoreNotices } from './features/notices/use-core-notices';
import { useNotice } from './features/notices/use-notice';
import { PhotoView } from './features/photo/PhotoView';
import { ChooseImageButton } from './features/search/ChooseImageButton';
import type { ImageQuery } from './features/search/search-request';
import { SearchBar } from './features/search/SearchBar';
import { matchesToShow } from './features/search/matches';
import { SearchResultsView } from './features/search/SearchResultsView';
import { ImageSearchHint, NoPhotosYet, QueryExamples } from './features/search/SearchSuggestions';
import { useSearch } from './features/search/use-search';
import { useResultSelection } from './features/search/use-result-selection';
import { useSearchResults } from './features/search/use-search-results';
import { ThemeToggle } from './features/theme/ThemeToggle';
import { useTheme } from './features/theme/use-theme';
import { HomeView } from './features/timeline/HomeView';
import { useHome } from './features/timeline/use-home';
import { UpdateCheckSetting } from './features/updates/UpdateCheckSetting';
import { baseName, plural } from './format';
import { useGlobalShortcuts } from './hooks/use-global-shortcuts';
import { useStoredState } from './hooks/use-stored-state';

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

export function App() {
  const bridge = useBridge();
  const { notice, notify, dismiss } = useNotice();
  const { theme, setTheme } = useTheme();
  const library = useLibraryStatus();
  const refreshLibrary = library.refresh;
  const { models, refresh: refreshModels } = useModels();
  const indexing = useIndexing(library.status?.paused ?? false, refreshLibrary);
  const folderActions = useFolderActions(refreshLibrary, notify);
  useCoreNotices(notify, refreshLibrary);
  const failures = useFailures(library.status?.failures ?? 0, refreshLibrary, notify);
  const modelsChanged = useCallback(() => {
    refreshLibrary();
    refreshModels();
  }, [refreshLibrary, refreshModels]);
  const modelDownload = useModelDownload(modelsChanged);
  const modelActions = useModelActions(modelsChanged);
  const [modelsOpen, setModelsOpen] = useState(false);

  const search = useSearch();
  const filters = useFilters(library.status?.embedded ?? 0);
  const request = useFilteredRequest(search.request, filters.searchFilters);
  // A finished index run or a removed folder changes the embedded count: searches run again.
  const results = useSearchResults(request, library.status?.embedded ?? 0);
  const [showWeaker, setShowWeaker] = useStoredState('photoseek.showWeaker', false, isBoolean);
  const matches = useMemo(
    () => matchesToShow(results.hits, showWeaker),
    [results.hits, showWeaker],
  );

  const selection = useResultSelection(matches.shown, request);
  const home = useHome(library.status?.photos ?? 0);
  const [exploreView, setExploreView] = useStoredState(
    'photoseek.exploreView',
    'photos',
    isExploreViewId,
  );
  const [failuresOpen, setFailuresOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLElement>(null);
  const cellActions = useCellActions(notify);

  function closePhoto() {
    selection.close();
    home.viewer?.close();
    gridRef.current?.focus();
  }

  function moreLikeThese(photoIds: number[]) {
    search.searchByImage({
      kind: 'similar',
      photoId: photoIds,
      label: plural(photoIds.length, 'photo', 'photos'),
      previewUrl: bridge.thumbnailUrl(photoIds[0]!),
    });
  }

  function findSimilar(hit: PhotoSummary) {
    selection.close();
    home.viewer?.close();
    search.searchByImage({
      kind: 'similar',
      photoId: hit.photoId,
      label: baseName(hit.path),
      previewUrl: bridge.thumbnailUrl(hit.photoId),
    });
  }

  function focusResults() {
    if (!gridRef.current) return;
    gridRef.current.focus();
    if (selection.selectedIndex === null) selection.select(0);
  }

  function switchModel(modelId: string) {
    bridge.core['models.use'](modelId).then(
      () => {
        refreshLibrary();
        refreshModels();
      },
      (error: unknown) =>
        notify({ kind: 'error', message: `Could not switch models: ${errorMessage(error)}` }),
    );
  }

  useGlobalShortcuts({
    onFocusSearch: () => searchRef.current?.focus(),
    onEscape: () => {
      if (selection.openHit || home.viewer) closePhoto();
      else if (failuresOpen) setFailuresOpen(false);
      else if (search.request || search.text) {
        search.clear();
        searchRef.current?.focus();
      }
    },
  });

  const status = library.status;
  const ready = !!status?.model && status.folders.length > 0;
  const { searchByImage } = search;
  const searchByDroppedImage = useCallback(
    (query: ImageQuery) => {
      if (ready) searchByImage(query);
      else
        notify({
          kind: 'info',
          message:
            'Dropped images can be searched once the model is installed and a folder is added.',
        });
    },
    [ready, searchByImage, notify],
  );
  const dropSearch = useDropSearch(searchByDroppedImage, folderActions, notify, dismiss);
  const dragging = useWindowDrop(dropSearch);
  usePasteSearch(dropSearch);

  function mainContent() {
    if (!status)
      return library.error ? (
        <ErrorMessage title="Could not open the library" message={library.error} />
      ) : null;
    if (!status.model) return <FirstRun models={models} download={modelDownload} />;
    if (status.folders.length === 0) {
      return (
        <EmptyState icon="folder-plus" title="Add your photo folders">
          <p>
            Photoseek indexes the photos in the folders you add, here on this computer, and keeps
            watching them for new ones.
          </p>
          <button type="button" className="button button-primary" onClick={folderActions.add}>
            <Icon name="folder-plus" /> Add folder…
          </button>
        </EmptyState>
      );
    }
    if (!search.request && status.photos > 0)
      return (
        <ExploreTabs active={exploreView} onChange={setExploreView}>
          {exploreView === 'duplicates' ? (
            <DuplicatesView embedded={status.embedded} notify={notify} />
          ) : exploreView === 'clusters' ? (
            <ClustersView embedded={status.embedded} onFindSimilar={findSimilar} notify={notify} />
          ) : exploreView === 'map' ? (
            <MapView
              embedded={status.embedded}
              onMoreLikeThese={moreLikeThese}
              onFindSimilar={findSimilar}
              notify={notify}
            />
          ) : (
            <HomeView
              gridRef={gridRef}
              timeline={home.timeline}
              marks={home.marks}
              onOpen={home.open}
              onMoreLikeThese={moreLikeThese}
              examples={
                textSearchModel(status) ? (
                  <QueryExamples onPick={search.setText} />
                ) : (
                  <ImageSearchHint />
                )
              }
            />
          )}
        </ExploreTabs>
      );
    if (!search.request) return <NoPhotosYet />;
    return (
      <SearchResultsView
        gridRef={gridRef}
        request={search.request}
        imageQuery={search.imageQuery}
        results={results}
        matches={matches}
        showWeaker={showWeaker}
        onShowWeakerChange={setShowWeaker}
        selectedIndex={selection.selectedIndex}
        onSelect={selection.select}
        onOpen={selection.open}
        onClearImage={search.clearImage}
      />
    );
  }

  return (
    <div className={status?.model ? 'app' : 'app app-first-run'}>
      <SkipLink
        onSkip={() =>
          search.request
            ? focusResults()
            : (gridRef.current ?? firstFocusable(contentRef.current))?.focus()
        }
      />
      <header className="topbar">
        <h1 className="brand">Photoseek</h1>
        {status?.model && (
          <div className="search-area">
            {/* The button beside the box comes next in Tab order, before the filters below. */}
            <div className="search-row">
              <SearchBar
                inputRef={searchRef}
                text={search.text}
                disabled={!ready}
                imageOnlyModel={textSearchModel(status) ? null : status.model.name}
                onTextChange={search.setText}
                onLeaveToResults={focusResults}
              />
              <ChooseImageButton disabled={!ready} onImage={searchByDroppedImage} notify={notify} />
            </div>
            {ready && (
              <FilterBar
                filters={filters}
                folders={status.folders}
                text={search.text}
                onTextChange={search.setText}
              />
            )}
          </div>
        )}
        <ThemeToggle theme={theme} onChange={setTheme} />
      </header>
      {status?.model && (
        <LibraryPanel
          status={status}
          models={models}
          indexing={indexing}
          folderActions={folderActions}
          onUseModel={switchModel}
          onShowFailures={() => setFailuresOpen(true)}
          onManageModels={() => setModelsOpen(true)}
          modelDownload={modelDownload}
        >
          <UpdateCheckSetting notify={notify} />
        </LibraryPanel>
      )}
      <main id="content" ref={contentRef} className="content" {...cellActions.handlers}>
        {mainContent()}
        {cellActions.menu && (
          <PhotoContextMenu {...cellActions.menu} onClose={cellActions.closeMenu} />
        )}
      </main>
      {selection.openHit ? (
        <PhotoView
          hit={selection.openHit}
          position={{ index: selection.openIndex ?? 0, total: matches.shown.length }}
          onClose={closePhoto}
          onPrevious={selection.previous}
          onNext={selection.next}
          onFindSimilar={findSimilar}
          notify={notify}
        />
      ) : (
        !search.request &&
        home.viewer && (
          <PhotoView
            hit={home.viewer.photo}
            position={home.viewer.position}
            onClose={closePhoto}
            onPrevious={home.viewer.previous}
            onNext={home.viewer.next}
            onFindSimilar={findSimilar}
            notify={notify}
          />
        )
      )}
      {failuresOpen && (
        <FailuresPanel failures={failures} onClose={() => setFailuresOpen(false)} notify={notify} />
      )}
      {modelsOpen && (
        <ModelsDrawer
          models={models}
          onClose={() => setModelsOpen(false)}
          onUse={(model) => switchModel(model.id)}
          actions={modelActions}
        />
      )}
      {dragging && <DropOverlay />}
      {notice && <NoticeBar notice={notice} onDismiss={dismiss} />}
    </div>
  );
}

/** Whether search answers words: the model search uses (the previous one while switching). */
function textSearchModel(status: LibraryStatus): boolean {
  return status.switching ? status.switching.textSearch : (status.model?.textSearch ?? true);
}
