import { app, Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

/** The native menu: the platform's standard roles; reload and developer tools only in development. */
function applicationMenu(options: {
  mac: boolean;
  developer: boolean;
}): MenuItemConstructorOptions[] {
  const developerItems: MenuItemConstructorOptions[] = options.developer
    ? [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return [
    ...(options.mac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...developerItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}

export function setApplicationMenu(): void {
  const template = applicationMenu({
    mac: process.platform === 'darwin',
    developer: !app.isPackaged,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
