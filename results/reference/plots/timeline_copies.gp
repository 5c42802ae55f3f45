# timeline_copies.gp - Live bytes and RSS over time: copies scale=0.2
# Written by `gcbench plot` from results/reference; the numbers are in timeline_copies.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot timeline_copies.gp
# from any directory: it changes to its own, reads timeline_copies.dat and writes
# timeline_copies.png and timeline_copies.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 1652,830 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 1652,830 noenhanced font 'sans,10' background '#ffffff' }
set output 'timeline_copies.'.fmt
set multiplot title 'Live bytes and RSS over time: copies scale=0.2'
# units: the data file holds seconds and bytes; live (l) and RSS (r) per column
tdiv = 0.001; tunit = 'ms'
ldiv_a = 1024; lunit_a = 'KiB'; rdiv_a = 1.04858e+06; runit_a = 'MiB'
ldiv_b = 1.04858e+06; lunit_b = 'MiB'; rdiv_b = 1.04858e+06; runit_b = 'MiB'
set grid
set yrange [0:*]
set xrange [0:0.0285508/tdiv]
set offsets 0, 0, graph 0.03, 0
set lmargin at screen 0.0484; set rmargin at screen 0.3874
# panel a live: allocators under rc
set tmargin at screen 0.9157; set bmargin at screen 0.5181
set title '(a) allocators under rc' font ',11'
set format x ''
unset xlabel
set key at screen 0.3965, screen 0.9157 left top vertical Left reverse noenhanced samplen 4 spacing 1.2 width 1 title 'allocator'
set ylabel 'live bytes, '.lunit_a
plot \
  'timeline_copies.dat' index 0 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#1f77b4' dashtype 1 notitle, \
  '' index 0 every 3::0 using ($1/tdiv):($3/ldiv_a) with points pointtype 7 pointsize 1.1 linecolor rgb '#1f77b4' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#1f77b4' dashtype 1 pointtype 7 pointsize 1.1 title 'glibc', \
  '' index 1 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#ff7f0e' dashtype (10,5) notitle, \
  '' index 1 every 2::0 using ($1/tdiv):($3/ldiv_a) with points pointtype 5 pointsize 1.1 linecolor rgb '#ff7f0e' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#ff7f0e' dashtype (10,5) pointtype 5 pointsize 1.1 title 'jemalloc', \
  '' index 2 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#2ca02c' dashtype (3,4) notitle, \
  '' index 2 every 2::0 using ($1/tdiv):($3/ldiv_a) with points pointtype 9 pointsize 1.1 linecolor rgb '#2ca02c' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#2ca02c' dashtype (3,4) pointtype 9 pointsize 1.1 title 'mimalloc', \
  '' index 3 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#d62728' dashtype (14,4,3,4) notitle, \
  '' index 3 every 2::0 using ($1/tdiv):($3/ldiv_a) with points pointtype 13 pointsize 1.1 linecolor rgb '#d62728' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#d62728' dashtype (14,4,3,4) pointtype 13 pointsize 1.1 title 'tcmalloc', \
  '' index 4 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#9467bd' dashtype (6,3,2,3,2,3) notitle, \
  '' index 4 every 2::1 using ($1/tdiv):($3/ldiv_a) with points pointtype 6 pointsize 1.1 linecolor rgb '#9467bd' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#9467bd' dashtype (6,3,2,3,2,3) pointtype 6 pointsize 1.1 title 'pool', \
  '' index 5 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#8c564b' dashtype (18,6) notitle, \
  '' index 5 every 2::1 using ($1/tdiv):($3/ldiv_a) with points pointtype 4 pointsize 1.1 linecolor rgb '#8c564b' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#8c564b' dashtype (18,6) pointtype 4 pointsize 1.1 title 'pool+jemalloc', \
  '' index 6 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#e377c2' dashtype (2,6) notitle, \
  '' index 6 every 2::1 using ($1/tdiv):($3/ldiv_a) with points pointtype 8 pointsize 1.1 linecolor rgb '#e377c2' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#e377c2' dashtype (2,6) pointtype 8 pointsize 1.1 title 'pool+mimalloc', \
  '' index 7 using ($1/tdiv):($3/ldiv_a) with lines linewidth 1.6 linecolor rgb '#7f7f7f' dashtype (10,3,3,3,3,3) notitle, \
  '' index 7 every 2::1 using ($1/tdiv):($3/ldiv_a) with points pointtype 12 pointsize 1.1 linecolor rgb '#7f7f7f' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#7f7f7f' dashtype (10,3,3,3,3,3) pointtype 12 pointsize 1.1 title 'pool+tcmalloc'
# panel a rss: allocators under rc
set tmargin at screen 0.4699; set bmargin at screen 0.0723
unset title
unset key
set format x '% h'
set xlabel 'time since the workload started, '.tunit
set ylabel 'RSS, '.runit_a
plot \
  'timeline_copies.dat' index 0 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#1f77b4' dashtype 1 notitle, \
  '' index 0 every 3::0 using ($1/tdiv):($5/rdiv_a) with points pointtype 7 pointsize 1.1 linecolor rgb '#1f77b4' notitle, \
  '' index 1 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#ff7f0e' dashtype (10,5) notitle, \
  '' index 1 every 2::0 using ($1/tdiv):($5/rdiv_a) with points pointtype 5 pointsize 1.1 linecolor rgb '#ff7f0e' notitle, \
  '' index 2 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#2ca02c' dashtype (3,4) notitle, \
  '' index 2 every 2::0 using ($1/tdiv):($5/rdiv_a) with points pointtype 9 pointsize 1.1 linecolor rgb '#2ca02c' notitle, \
  '' index 3 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#d62728' dashtype (14,4,3,4) notitle, \
  '' index 3 every 2::0 using ($1/tdiv):($5/rdiv_a) with points pointtype 13 pointsize 1.1 linecolor rgb '#d62728' notitle, \
  '' index 4 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#9467bd' dashtype (6,3,2,3,2,3) notitle, \
  '' index 4 every 2::1 using ($1/tdiv):($5/rdiv_a) with points pointtype 6 pointsize 1.1 linecolor rgb '#9467bd' notitle, \
  '' index 5 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#8c564b' dashtype (18,6) notitle, \
  '' index 5 every 2::1 using ($1/tdiv):($5/rdiv_a) with points pointtype 4 pointsize 1.1 linecolor rgb '#8c564b' notitle, \
  '' index 6 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#e377c2' dashtype (2,6) notitle, \
  '' index 6 every 2::1 using ($1/tdiv):($5/rdiv_a) with points pointtype 8 pointsize 1.1 linecolor rgb '#e377c2' notitle, \
  '' index 7 using ($1/tdiv):($5/rdiv_a) with lines linewidth 1.6 linecolor rgb '#7f7f7f' dashtype (10,3,3,3,3,3) notitle, \
  '' index 7 every 2::1 using ($1/tdiv):($5/rdiv_a) with points pointtype 12 pointsize 1.1 linecolor rgb '#7f7f7f' notitle
set lmargin at screen 0.5533; set rmargin at screen 0.8923
# panel b live: collectors under glibc
set tmargin at screen 0.9157; set bmargin at screen 0.5181
set title '(b) collectors under glibc' font ',11'
set format x ''
unset xlabel
set key at screen 0.9013, screen 0.9157 left top vertical Left reverse noenhanced samplen 4 spacing 1.2 width 1 title 'collector'
set ylabel 'live bytes, '.lunit_b
plot \
  'timeline_copies.dat' index 0 using ($1/tdiv):($3/ldiv_b) with lines linewidth 1.6 linecolor rgb '#000000' dashtype 1 notitle, \
  '' index 0 every 3::0 using ($1/tdiv):($3/ldiv_b) with points pointtype 7 pointsize 1.1 linecolor rgb '#000000' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#000000' dashtype 1 pointtype 7 pointsize 1.1 title 'rc', \
  '' index 8 using ($1/tdiv):($3/ldiv_b) with lines linewidth 1.6 linecolor rgb '#e69f00' dashtype (10,5) notitle, \
  '' index 8 every 4::0 using ($1/tdiv):($3/ldiv_b) with points pointtype 5 pointsize 1.1 linecolor rgb '#e69f00' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#e69f00' dashtype (10,5) pointtype 5 pointsize 1.1 title 'gen', \
  '' index 9 using ($1/tdiv):($3/ldiv_b) with lines linewidth 1.6 linecolor rgb '#56b4e9' dashtype (3,4) notitle, \
  '' index 9 every 4::1 using ($1/tdiv):($3/ldiv_b) with points pointtype 9 pointsize 1.1 linecolor rgb '#56b4e9' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#56b4e9' dashtype (3,4) pointtype 9 pointsize 1.1 title 'drc', \
  '' index 10 using ($1/tdiv):($3/ldiv_b) with lines linewidth 1.6 linecolor rgb '#009e73' dashtype (14,4,3,4) notitle, \
  '' index 10 every 4::2 using ($1/tdiv):($3/ldiv_b) with points pointtype 13 pointsize 1.1 linecolor rgb '#009e73' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#009e73' dashtype (14,4,3,4) pointtype 13 pointsize 1.1 title 'lazy', \
  '' index 11 using ($1/tdiv):($3/ldiv_b) with lines linewidth 1.6 linecolor rgb '#0072b2' dashtype (6,3,2,3,2,3) notitle, \
  '' index 11 every 4::2 using ($1/tdiv):($3/ldiv_b) with points pointtype 6 pointsize 1.1 linecolor rgb '#0072b2' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#0072b2' dashtype (6,3,2,3,2,3) pointtype 6 pointsize 1.1 title 'trialdel', \
  '' index 12 using ($1/tdiv):($3/ldiv_b) with lines linewidth 1.6 linecolor rgb '#d55e00' dashtype (18,6) notitle, \
  '' index 12 every 3::2 using ($1/tdiv):($3/ldiv_b) with points pointtype 4 pointsize 1.1 linecolor rgb '#d55e00' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#d55e00' dashtype (18,6) pointtype 4 pointsize 1.1 title 'marksweep', \
  '' index 13 using ($1/tdiv):($3/ldiv_b) with lines linewidth 1.6 linecolor rgb '#cc79a7' dashtype (2,6) notitle, \
  '' index 13 every 3::2 using ($1/tdiv):($3/ldiv_b) with points pointtype 8 pointsize 1.1 linecolor rgb '#cc79a7' notitle, \
  NaN with linespoints linewidth 1.6 linecolor rgb '#cc79a7' dashtype (2,6) pointtype 8 pointsize 1.1 title 'incremental'
# panel b rss: collectors under glibc
set tmargin at screen 0.4699; set bmargin at screen 0.0723
unset title
unset key
set format x '% h'
set xlabel 'time since the workload started, '.tunit
set ylabel 'RSS, '.runit_b
plot \
  'timeline_copies.dat' index 0 using ($1/tdiv):($5/rdiv_b) with lines linewidth 1.6 linecolor rgb '#000000' dashtype 1 notitle, \
  '' index 0 every 3::0 using ($1/tdiv):($5/rdiv_b) with points pointtype 7 pointsize 1.1 linecolor rgb '#000000' notitle, \
  '' index 8 using ($1/tdiv):($5/rdiv_b) with lines linewidth 1.6 linecolor rgb '#e69f00' dashtype (10,5) notitle, \
  '' index 8 every 4::0 using ($1/tdiv):($5/rdiv_b) with points pointtype 5 pointsize 1.1 linecolor rgb '#e69f00' notitle, \
  '' index 9 using ($1/tdiv):($5/rdiv_b) with lines linewidth 1.6 linecolor rgb '#56b4e9' dashtype (3,4) notitle, \
  '' index 9 every 4::1 using ($1/tdiv):($5/rdiv_b) with points pointtype 9 pointsize 1.1 linecolor rgb '#56b4e9' notitle, \
  '' index 10 using ($1/tdiv):($5/rdiv_b) with lines linewidth 1.6 linecolor rgb '#009e73' dashtype (14,4,3,4) notitle, \
  '' index 10 every 4::2 using ($1/tdiv):($5/rdiv_b) with points pointtype 13 pointsize 1.1 linecolor rgb '#009e73' notitle, \
  '' index 11 using ($1/tdiv):($5/rdiv_b) with lines linewidth 1.6 linecolor rgb '#0072b2' dashtype (6,3,2,3,2,3) notitle, \
  '' index 11 every 4::2 using ($1/tdiv):($5/rdiv_b) with points pointtype 6 pointsize 1.1 linecolor rgb '#0072b2' notitle, \
  '' index 12 using ($1/tdiv):($5/rdiv_b) with lines linewidth 1.6 linecolor rgb '#d55e00' dashtype (18,6) notitle, \
  '' index 12 every 3::2 using ($1/tdiv):($5/rdiv_b) with points pointtype 4 pointsize 1.1 linecolor rgb '#d55e00' notitle, \
  '' index 13 using ($1/tdiv):($5/rdiv_b) with lines linewidth 1.6 linecolor rgb '#cc79a7' dashtype (2,6) notitle, \
  '' index 13 every 3::2 using ($1/tdiv):($5/rdiv_b) with points pointtype 8 pointsize 1.1 linecolor rgb '#cc79a7' notitle
unset multiplot
unset output
}
