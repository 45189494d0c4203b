const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

/** The smoke client as one file with nothing external: `node dist/apps/smoke/main.js` runs without the repository or node_modules. */
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/smoke'), clean: true },
  devtool: false,
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      externalDependencies: 'none',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: false,
    }),
  ],
};
