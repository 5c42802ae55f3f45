# gc_pauses_heatmap.gp - GC pauses: p99 per configuration and workload (median over runs, log colour scale)
# Written by `gcbench plot` from results/reference; the numbers are in gc_pauses_heatmap.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot gc_pauses_heatmap.gp
# from any directory: it changes to its own, reads gc_pauses_heatmap.dat and writes
# gc_pauses_heatmap.png and gc_pauses_heatmap.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 1406,1766 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 1406,1766 noenhanced font 'sans,10' background '#ffffff' }
set output 'gc_pauses_heatmap.'.fmt
set title 'GC pauses: p99 per configuration and workload (median over runs, log colour scale)' offset 0, 1 font ',11'
# the grid, in pixels of the 1406x1766 canvas: row labels, headings, colour box, key
set lmargin at screen 0.15932
set rmargin at screen 0.89331
set tmargin at screen 0.95357
set bmargin at screen 0.02945
set xrange [-0.5:11.5]
set yrange [47.5:-0.5]
unset border
unset xtics
set link x2
set x2tics scale 0 ("intchurn\nscale=0.2" 0, "cycles\nscale=0.2" 1, "strings\nscale=0.2" 2, "aliasing\nscale=0.2" 3, "slicing\nscale=0.2" 4, "copies\nscale=0.2" 5, "dicts\nscale=0.2" 6, "trees\nscale=0.2" 7, "traversal\nscale=0.2" 8, "replay\nscale=0.2" 9, "lifetimes\nscale=0.2" 10, "locals\nscale=0.2" 11)
set ytics scale 0 ('glibc/gen' 0, 'jemalloc/gen' 1, 'mimalloc/gen' 2, 'tcmalloc/gen' 3, 'pool/gen' 4, 'pool+jemalloc/gen' 5, 'pool+mimalloc/gen' 6, 'pool+tcmalloc/gen' 7, 'glibc/drc' 8, 'jemalloc/drc' 9, 'mimalloc/drc' 10, 'tcmalloc/drc' 11, 'pool/drc' 12, 'pool+jemalloc/drc' 13, 'pool+mimalloc/drc' 14, 'pool+tcmalloc/drc' 15, 'glibc/lazy' 16, 'jemalloc/lazy' 17, 'mimalloc/lazy' 18, 'tcmalloc/lazy' 19, 'pool/lazy' 20, 'pool+jemalloc/lazy' 21, 'pool+mimalloc/lazy' 22, 'pool+tcmalloc/lazy' 23, 'glibc/trialdel' 24, 'jemalloc/trialdel' 25, 'mimalloc/trialdel' 26, 'tcmalloc/trialdel' 27, 'pool/trialdel' 28, 'pool+jemalloc/trialdel' 29, 'pool+mimalloc/trialdel' 30, 'pool+tcmalloc/trialdel' 31, 'glibc/marksweep' 32, 'jemalloc/marksweep' 33, 'mimalloc/marksweep' 34, 'tcmalloc/marksweep' 35, 'pool/marksweep' 36, 'pool+jemalloc/marksweep' 37, 'pool+mimalloc/marksweep' 38, 'pool+tcmalloc/marksweep' 39, 'glibc/incremental' 40, 'jemalloc/incremental' 41, 'mimalloc/incremental' 42, 'tcmalloc/incremental' 43, 'pool/incremental' 44, 'pool+jemalloc/incremental' 45, 'pool+mimalloc/incremental' 46, 'pool+tcmalloc/incremental' 47)
set arrow from -0.5, 7.5 to 11.5, 7.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 15.5 to 11.5, 15.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 23.5 to 11.5, 23.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 31.5 to 11.5, 31.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 39.5 to 11.5, 39.5 nohead linewidth 2 linecolor rgb 'black' front
# the key, under the grid
set label 1 'Each cell: the median over the runs of each run''s p99 pause, coloured on a log scale (darker is longer); under it, the longest pause of any run.' at screen 0.00711, screen 0.02152 left
set label 2 'No row: rc (every allocator); no run paused on any workload.' at screen 0.00711, screen 0.01246 left
# colours: log10 of the p99 pause in seconds, from lo to hi (beyond, the end colours)
lo = -7; hi = -1.5
set cbrange [lo:hi]
set palette defined (-1 '#ffffcc', -0.75 '#ffeda0', -0.5 '#fed976', -0.25 '#feb24c', 0 '#fd8d3c', 0.25 '#fc4e2a', 0.5 '#e31a1c', 0.75 '#bd0026', 1 '#800026')
set cbtics scale 0.5 ('100 ns' -7, '1 µs' -6, '10 µs' -5, '100 µs' -4, '1 ms' -3, '10 ms' -2)
set cblabel 'p99 pause (log scale)'
# the text: white on the dark end, black elsewhere; the longest pause smaller and lighter
dark(l) = (l - lo) / (hi - lo) > 0.6
ink(l) = dark(l) ? 0xffffff : 0x000000
subink(l) = dark(l) ? 0xf0f0f0 : 0x505050
set style fill solid 1 border linecolor rgb 'white'
# column 7: 1 a number, 2 every run failed, 3 no value, 0 no such cell (left blank)
hasnum(kind) = kind == 1
nonum(kind) = kind == 2 || kind == 3
plot 'gc_pauses_heatmap.dat' using (hasnum($7) ? $2 : NaN):1:(0.5):(0.5):3 with boxxy fillcolor palette notitle, \
  '' using (nonum($7) ? $2 : NaN):1:(0.5):(0.5) with boxxy fillcolor rgb '#d0d0d0' notitle, \
  '' using (nonum($7) ? $2 : NaN):1:5 with labels textcolor rgb '#303030' notitle, \
  '' using (hasnum($7) ? $2 : NaN):($1 - 0.18):5:(ink($3)) with labels textcolor rgb variable notitle, \
  '' using (hasnum($7) ? $2 : NaN):($1 + 0.25):6:(subink($3)) with labels font ',8' \
     textcolor rgb variable notitle
unset output
}
