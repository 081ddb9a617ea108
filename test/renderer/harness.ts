// The app exactly as index.html starts it, over the fake core. Imports run in order: the fake first.
import './install-fake';
import '../../src-renderer/src/main';
