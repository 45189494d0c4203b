const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

/** The API, its CLIs (migrate, openapi, backup, restore) and the PDF and embedded-database workers, bundled with the libs; node_modules stay external. */
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/api'), clean: true },
  devtool: 'source-map',
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      additionalEntryPoints: [
        { entryName: 'migrate', entryPath: './src/scripts/migrate.ts' },
        { entryName: 'openapi', entryPath: './src/scripts/openapi.ts' },
        { entryName: 'backup', entryPath: './src/scripts/backup.ts' },
        { entryName: 'restore', entryPath: './src/scripts/restore.ts' },
        // Started by uploads/pdf-text.ts as a worker thread, found beside main.js.
        { entryName: 'pdf-text.worker', entryPath: './src/uploads/pdf-text.worker.ts' },
        // Started by @aegis/database's startEmbeddedPostgres as a worker thread (PGlite off the API's event loop).
        { entryName: 'embedded-postgres.worker', entryPath: '../../libs/database/src/lib/embedded-postgres.worker.ts' },
      ],
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
