/* charts: drawn with uPlot */
