# throughput_heatmap.gp - Throughput (ops/s) relative to glibc/rc, per configuration and workload
# Written by `gcbench plot` from results/reference; the numbers are in throughput_heatmap.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot throughput_heatmap.gp
# from any directory: it changes to its own, reads throughput_heatmap.dat and writes
# throughput_heatmap.png and throughput_heatmap.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 1694,1382 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 1694,1382 noenhanced font 'sans,10' background '#ffffff' }
set output 'throughput_heatmap.'.fmt
set title 'Throughput (ops/s) relative to glibc/rc, per configuration and workload' offset 0, 2 font ',11'
# the grid, in pixels of the 1694x1382 canvas: row labels, headings, colour box, key
set lmargin at screen 0.13223
set rmargin at screen 0.91145
set tmargin at screen 0.92909
set bmargin at screen 0.03763
set xrange [-0.5:11.5]
set yrange [55.5:-0.5]
unset border
unset xtics
set link x2
set x2tics scale 0 ("intchurn\nscale=0.2\n83 M ops/s" 0, "cycles\nscale=0.2\n3.21 M ops/s" 1, "strings\nscale=0.2\n16.3 M ops/s" 2, "aliasing\nscale=0.2\n18.3 M ops/s" 3, "slicing\nscale=0.2\n9.56 M ops/s" 4, "copies\nscale=0.2\n4.99 M ops/s" 5, "dicts\nscale=0.2\n17.4 M ops/s" 6, "trees\nscale=0.2\n6.21 M ops/s" 7, "traversal\nscale=0.2\n12.6 M ops/s" 8, "replay\nscale=0.2\n32.8 M ops/s" 9, "lifetimes\nscale=0.2\n11.4 M ops/s" 10, "locals\nscale=0.2\n124 M ops/s" 11)
set ytics scale 0 ('glibc/rc (baseline)' 0, 'jemalloc/rc' 1, 'mimalloc/rc' 2, 'tcmalloc/rc' 3, 'pool/rc' 4, 'pool+jemalloc/rc' 5, 'pool+mimalloc/rc' 6, 'pool+tcmalloc/rc' 7, 'glibc/gen' 8, 'jemalloc/gen' 9, 'mimalloc/gen' 10, 'tcmalloc/gen' 11, 'pool/gen' 12, 'pool+jemalloc/gen' 13, 'pool+mimalloc/gen' 14, 'pool+tcmalloc/gen' 15, 'glibc/drc' 16, 'jemalloc/drc' 17, 'mimalloc/drc' 18, 'tcmalloc/drc' 19, 'pool/drc' 20, 'pool+jemalloc/drc' 21, 'pool+mimalloc/drc' 22, 'pool+tcmalloc/drc' 23, 'glibc/lazy' 24, 'jemalloc/lazy' 25, 'mimalloc/lazy' 26, 'tcmalloc/lazy' 27, 'pool/lazy' 28, 'pool+jemalloc/lazy' 29, 'pool+mimalloc/lazy' 30, 'pool+tcmalloc/lazy' 31, 'glibc/trialdel' 32, 'jemalloc/trialdel' 33, 'mimalloc/trialdel' 34, 'tcmalloc/trialdel' 35, 'pool/trialdel' 36, 'pool+jemalloc/trialdel' 37, 'pool+mimalloc/trialdel' 38, 'pool+tcmalloc/trialdel' 39, 'glibc/marksweep' 40, 'jemalloc/marksweep' 41, 'mimalloc/marksweep' 42, 'tcmalloc/marksweep' 43, 'pool/marksweep' 44, 'pool+jemalloc/marksweep' 45, 'pool+mimalloc/marksweep' 46, 'pool+tcmalloc/marksweep' 47, 'glibc/incremental' 48, 'jemalloc/incremental' 49, 'mimalloc/incremental' 50, 'tcmalloc/incremental' 51, 'pool/incremental' 52, 'pool+jemalloc/incremental' 53, 'pool+mimalloc/incremental' 54, 'pool+tcmalloc/incremental' 55)
set arrow from -0.5, 7.5 to 11.5, 7.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 15.5 to 11.5, 15.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 23.5 to 11.5, 23.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 31.5 to 11.5, 31.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 39.5 to 11.5, 39.5 nohead linewidth 2 linecolor rgb 'black' front
set arrow from -0.5, 47.5 to 11.5, 47.5 nohead linewidth 2 linecolor rgb 'black' front
# the key, under the grid
set label 1 'Colour: the ratio on a log scale, blue better, red worse (more ops/s is better).' at screen 0.00590, screen 0.02750 left
set label 2 '(1.0) in parentheses: not significantly different from glibc/rc (two-sided Mann-Whitney U test, p >= 0.05).' at screen 0.00590, screen 0.01592 left
# colours: log2 of the ratio from -R to R (ratios 1/2^R to 2^R); beyond, the end colours.
# Blue is better: high ratios for ops/s.
R = 2.5
set cbrange [-R:R]
set palette defined (-1 '#b2182b', -0.666667 '#ef8a62', -0.333333 '#fddbc7', 0 '#f7f7f7', 0.333333 '#d1e5f0', 0.666667 '#67a9cf', 1 '#2166ac')
set cbtics scale 0.5 ('0.25' -2, '0.5' -1, '1' 0, '2' 1, '4' 2)
set cblabel 'ops/s / glibc/rc''s (log scale)'
# the text: white on the dark ends, black elsewhere; not significant: in parentheses and greyer;
# ! when some runs failed
ink(l, sig) = abs(l) > 0.6 * R ? (sig == 1 ? 0xffffff : 0xe8e8e8) : (sig == 1 ? 0x000000 : 0x5a5a5a)
txt(s, sig, nfail) = (sig == 1 ? s : '('.s.')').(nfail > 0 ? '!' : '')
set style fill solid 1 border linecolor rgb 'white'
# column 7: 1 a number, 2 every run failed, 3 no value, 0 no such cell (left blank)
hasnum(kind) = kind == 1
nonum(kind) = kind == 2 || kind == 3
plot 'throughput_heatmap.dat' using (hasnum($7) ? $2 : NaN):1:(0.5):(0.5):3 with boxxy fillcolor palette notitle, \
  '' using (nonum($7) ? $2 : NaN):1:(0.5):(0.5) with boxxy fillcolor rgb '#d0d0d0' notitle, \
  '' using (nonum($7) ? $2 : NaN):1:5 with labels textcolor rgb '#303030' notitle, \
  '' using (hasnum($7) ? $2 : NaN):1:(txt(stringcolumn(5), $6, $11)):(ink($3, $6)) with labels \
     textcolor rgb variable notitle
unset output
}
