# throughput.gp - Throughput (ops/s) per workload, relative to glibc/rc
# Written by `gcbench plot` from results/reference; the numbers are in throughput.dat (its
# comment lines say what each column is).  Edit freely and re-run with
#   gnuplot throughput.gp
# from any directory: it changes to its own, reads throughput.dat and writes
# throughput.png and throughput.svg.  `gcbench plot` overwrites this file.

_gp_d = ARG0; _gp_i = strlen(_gp_d)
while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne "/") { _gp_i = _gp_i - 1 }
if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }
if (_gp_i == 1) { cd "/" }

set encoding utf8
set datafile missing '?'
do for [fmt in "png svg"] {
if (fmt eq "png") { set terminal pngcairo size 4000,1270 noenhanced font 'sans,10' }
if (fmt eq "svg") { set terminal svg size 4000,1270 noenhanced font 'sans,10' background '#ffffff' }
set output 'throughput.'.fmt
set title 'Throughput (ops/s) per workload, relative to glibc/rc'
set ylabel 'ops/s / baseline''s (higher is better)'
set xlabel 'workload (and the baseline''s median)' offset 0, -2
set style data histogram
set style histogram errorbars gap 2 lw 1
set boxwidth 0.9 relative
set yrange [0:*]
set grid ytics
set key outside right top vertical Left reverse title 'allocator/collector' noenhanced
set bmargin 7
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 linecolor rgb 'gray40' front
plot \
  'throughput.dat' using 2:3:4:xtic(1) title 'glibc/rc' linecolor rgb '#1f77b4' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 7:8:9 title 'jemalloc/rc' linecolor rgb '#ff7f0e' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 12:13:14 title 'mimalloc/rc' linecolor rgb '#2ca02c' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 17:18:19 title 'tcmalloc/rc' linecolor rgb '#d62728' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 22:23:24 title 'pool/rc' linecolor rgb '#9467bd' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 27:28:29 title 'pool+jemalloc/rc' linecolor rgb '#8c564b' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 32:33:34 title 'pool+mimalloc/rc' linecolor rgb '#e377c2' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 37:38:39 title 'pool+tcmalloc/rc' linecolor rgb '#7f7f7f' fillstyle solid 0.85 border linecolor rgb 'black', \
  '' using 42:43:44 title 'glibc/gen' linecolor rgb '#1f77b4' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 47:48:49 title 'jemalloc/gen' linecolor rgb '#ff7f0e' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 52:53:54 title 'mimalloc/gen' linecolor rgb '#2ca02c' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 57:58:59 title 'tcmalloc/gen' linecolor rgb '#d62728' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 62:63:64 title 'pool/gen' linecolor rgb '#9467bd' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 67:68:69 title 'pool+jemalloc/gen' linecolor rgb '#8c564b' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 72:73:74 title 'pool+mimalloc/gen' linecolor rgb '#e377c2' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 77:78:79 title 'pool+tcmalloc/gen' linecolor rgb '#7f7f7f' fillstyle pattern 4 border linecolor rgb 'black', \
  '' using 82:83:84 title 'glibc/drc' linecolor rgb '#1f77b4' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 87:88:89 title 'jemalloc/drc' linecolor rgb '#ff7f0e' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 92:93:94 title 'mimalloc/drc' linecolor rgb '#2ca02c' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 97:98:99 title 'tcmalloc/drc' linecolor rgb '#d62728' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 102:103:104 title 'pool/drc' linecolor rgb '#9467bd' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 107:108:109 title 'pool+jemalloc/drc' linecolor rgb '#8c564b' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 112:113:114 title 'pool+mimalloc/drc' linecolor rgb '#e377c2' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 117:118:119 title 'pool+tcmalloc/drc' linecolor rgb '#7f7f7f' fillstyle pattern 5 border linecolor rgb 'black', \
  '' using 122:123:124 title 'glibc/lazy' linecolor rgb '#1f77b4' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 127:128:129 title 'jemalloc/lazy' linecolor rgb '#ff7f0e' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 132:133:134 title 'mimalloc/lazy' linecolor rgb '#2ca02c' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 137:138:139 title 'tcmalloc/lazy' linecolor rgb '#d62728' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 142:143:144 title 'pool/lazy' linecolor rgb '#9467bd' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 147:148:149 title 'pool+jemalloc/lazy' linecolor rgb '#8c564b' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 152:153:154 title 'pool+mimalloc/lazy' linecolor rgb '#e377c2' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 157:158:159 title 'pool+tcmalloc/lazy' linecolor rgb '#7f7f7f' fillstyle pattern 2 border linecolor rgb 'black', \
  '' using 162:163:164 title 'glibc/trialdel' linecolor rgb '#1f77b4' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 167:168:169 title 'jemalloc/trialdel' linecolor rgb '#ff7f0e' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 172:173:174 title 'mimalloc/trialdel' linecolor rgb '#2ca02c' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 177:178:179 title 'tcmalloc/trialdel' linecolor rgb '#d62728' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 182:183:184 title 'pool/trialdel' linecolor rgb '#9467bd' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 187:188:189 title 'pool+jemalloc/trialdel' linecolor rgb '#8c564b' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 192:193:194 title 'pool+mimalloc/trialdel' linecolor rgb '#e377c2' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 197:198:199 title 'pool+tcmalloc/trialdel' linecolor rgb '#7f7f7f' fillstyle solid 0.35 border linecolor rgb 'black', \
  '' using 202:203:204 title 'glibc/marksweep' linecolor rgb '#1f77b4' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 207:208:209 title 'jemalloc/marksweep' linecolor rgb '#ff7f0e' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 212:213:214 title 'mimalloc/marksweep' linecolor rgb '#2ca02c' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 217:218:219 title 'tcmalloc/marksweep' linecolor rgb '#d62728' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 222:223:224 title 'pool/marksweep' linecolor rgb '#9467bd' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 227:228:229 title 'pool+jemalloc/marksweep' linecolor rgb '#8c564b' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 232:233:234 title 'pool+mimalloc/marksweep' linecolor rgb '#e377c2' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 237:238:239 title 'pool+tcmalloc/marksweep' linecolor rgb '#7f7f7f' fillstyle pattern 6 border linecolor rgb 'black', \
  '' using 242:243:244 title 'glibc/incremental' linecolor rgb '#1f77b4' fillstyle pattern 7 border linecolor rgb 'black', \
  '' using 247:248:249 title 'jemalloc/incremental' linecolor rgb '#ff7f0e' fillstyle pattern 7 border linecolor rgb 'black', \
  '' using 252:253:254 title 'mimalloc/incremental' linecolor rgb '#2ca02c' fillstyle pattern 7 border linecolor rgb 'black', \
  '' using 257:258:259 title 'tcmalloc/incremental' linecolor rgb '#d62728' fillstyle pattern 7 border linecolor rgb 'black', \
  '' using 262:263:264 title 'pool/incremental' linecolor rgb '#9467bd' fillstyle pattern 7 border linecolor rgb 'black', \
  '' using 267:268:269 title 'pool+jemalloc/incremental' linecolor rgb '#8c564b' fillstyle pattern 7 border linecolor rgb 'black', \
  '' using 272:273:274 title 'pool+mimalloc/incremental' linecolor rgb '#e377c2' fillstyle pattern 7 border linecolor rgb 'black', \
  '' using 277:278:279 title 'pool+tcmalloc/incremental' linecolor rgb '#7f7f7f' fillstyle pattern 7 border linecolor rgb 'black'
unset output
}
